package io.pathswitch.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.pathswitch.Pathswitch;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code list}: the JVMs of this user that the attach API sees, and whether pathswitch runs in
 * each. It asks each JVM for its system properties (the agent sets {@code pathswitch.version}),
 * which needs no JMX connector there; JVMs are asked in parallel, each for at most a few seconds.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    header = "Lists the JVMs of this user and whether pathswitch runs in each.")
final class ListCommand implements Callable<Integer> {

  private static final long ANSWER_SECONDS = 5;

  @Option(names = "--json", description = "print JSON for scripts instead of a table")
  boolean json;

  @Spec CommandSpec spec;

  /** One JVM; {@code pathswitch} is the agent's version, empty when it does not run there. */
  record Entry(long pid, String mainClass, String pathswitch, String problem) {

    String shown() {
      return problem != null ? "? (" + problem + ")" : pathswitch == null ? "-" : pathswitch;
    }

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("pid", pid);
      json.put("mainClass", mainClass);
      json.put("pathswitch", pathswitch);
      if (problem != null) {
        json.put("problem", problem);
      }
      return json;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    String self = Long.toString(ProcessHandle.current().pid());
    List<VirtualMachineDescriptor> vms =
        VirtualMachine.list().stream()
            .filter(vm -> !vm.id().equals(self))
            .collect(Collectors.toList());
    List<Entry> entries = ask(vms);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(entries.stream().map(Entry::json).collect(Collectors.toList())));
    } else {
      out.print(text(entries));
    }
    out.flush();
    return 0;
  }

  static String text(List<Entry> entries) {
    if (entries.isEmpty()) {
      return "no other JVM of this user found\n";
    }
    Table table = new Table("PID", "PATHSWITCH", "MAIN CLASS");
    for (Entry entry : entries) {
      table.row(entry.pid(), entry.shown(), entry.mainClass());
    }
    return table.toString();
  }

  private static List<Entry> ask(List<VirtualMachineDescriptor> vms) throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(8, vms.size())),
            task -> {
              Thread thread = new Thread(task, "pathswitch-list");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Entry>> answers = new ArrayList<>();
      for (VirtualMachineDescriptor vm : vms) {
        answers.add(pool.submit(() -> entryOf(vm)));
      }
      List<Entry> entries = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
      for (int i = 0; i < vms.size(); i++) {
        entries.add(answer(vms.get(i), answers.get(i), deadline));
      }
      entries.sort((a, b) -> Long.compare(a.pid(), b.pid()));
      return entries;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Entry answer(VirtualMachineDescriptor vm, Future<Entry> answer, long deadline)
      throws InterruptedException {
    try {
      return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      return new Entry(pid(vm), mainClass(vm), null, Main.oneLine(e.getCause()));
    } catch (java.util.concurrent.TimeoutException e) {
      answer.cancel(true);
      return new Entry(pid(vm), mainClass(vm), null, "no answer within " + ANSWER_SECONDS + " s");
    }
  }

  private static Entry entryOf(VirtualMachineDescriptor descriptor) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(descriptor);
    try {
      String version = vm.getSystemProperties().getProperty(Pathswitch.VERSION_PROPERTY);
      return new Entry(pid(descriptor), mainClass(descriptor), version, null);
    } finally {
      vm.detach();
    }
  }

  private static long pid(VirtualMachineDescriptor vm) {
    try {
      return Long.parseLong(vm.id());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The main class, or the jar given to {@code -jar}: the first word of what the JVM reports as its
   * command. Its arguments are left out, since they may hold secrets.
   */
  static String mainClass(VirtualMachineDescriptor vm) {
    String command = vm.displayName().strip();
    if (command.isEmpty()) {
      return "?";
    }
    int space = command.indexOf(' ');
    return space < 0 ? command : command.substring(0, space);
  }
}
