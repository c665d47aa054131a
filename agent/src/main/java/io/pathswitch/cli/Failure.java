package io.pathswitch.cli;

/**
 * A command that could not do its work, for a reason the operator can act on: the message is the
 * one line printed, and the command exits with 1. Carries no stack trace, since it reports the
 * situation, not a fault of the command line.
 */
final class Failure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  Failure(String message) {
    super(message, null, false, false);
  }
}
