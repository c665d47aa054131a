package io.pathswitch.sample.faults;

/** Thrown by the unified engine on purpose, when {@link Faults} says this call fails. */
public class InjectedFaultException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InjectedFaultException(String message) {
    super(message);
  }
}
