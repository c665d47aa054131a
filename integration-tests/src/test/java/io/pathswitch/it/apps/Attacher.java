package io.pathswitch.it.apps;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

/**
 * What a user's tools can reach through the JDK's attach API, which the agent's command line uses:
 * run as some user with a pid, it prints whether that JVM is listed ({@code listed: true}) and the
 * outcome of attaching to it ({@code attach: ok} or {@code attach: refused <exception>}).
 */
public final class Attacher {

  private Attacher() {}

  public static void main(String[] args) {
    String pid = args[0];
    boolean listed =
        VirtualMachine.list().stream().map(VirtualMachineDescriptor::id).anyMatch(pid::equals);
    System.out.println("listed: " + listed);
    try {
      VirtualMachine vm = VirtualMachine.attach(pid);
      vm.detach();
      System.out.println("attach: ok");
    } catch (Exception e) {
      System.out.println("attach: refused " + e);
    }
  }
}
