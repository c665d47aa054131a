package io.pathswitch.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * An application that loads {@code io.pathswitch.it.plugin.Plugin} in class loaders of its own, as
 * an application server loads web applications, each over a folder given as an argument and with
 * only the JDK as parent. Commands from standard input, each answered by one line:
 *
 * <ul>
 *   <li>{@code load <name> <folder>}: makes a class loader of that name over the folder
 *   <li>{@code call <name>}: calls {@code Plugin.answer()} in that loader: {@code call: <answer>}
 *   <li>{@code drop <name>}: forgets the loader, then collects garbage until it is gone or 20
 *       seconds have passed: {@code drop: collected} or {@code drop: still reachable}
 *   <li>{@code state}: the switch's State and UnifiedCalls over the platform MBeanServer, or {@code
 *       state: failed ...} while the agent has not registered its bean yet (at launch it does so
 *       once the application's start is past, 2 s)
 * </ul>
 */
public final class LoaderApp {

  private static final java.util.Map<String, ClassLoader> LOADERS = new java.util.HashMap<>();

  private LoaderApp() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.split(" ");
      try {
        System.out.println(words[0] + ": " + run(words));
      } catch (Exception e) {
        System.out.println(words[0] + ": failed " + e);
      }
    }
  }

  private static String run(String[] words) throws Exception {
    switch (words[0]) {
      case "load":
        URL folder = Path.of(words[2]).toUri().toURL();
        LOADERS.put(
            words[1],
            new URLClassLoader(words[1], new URL[] {folder}, ClassLoader.getPlatformClassLoader()));
        return "loaded";
      case "call":
        return call(LOADERS.get(words[1]));
      case "drop":
        return drop(words[1]);
      case "state":
        ObjectName bean = new ObjectName("io.pathswitch:type=Switch,name=plugin");
        return ManagementFactory.getPlatformMBeanServer().getAttribute(bean, "State")
            + " "
            + ManagementFactory.getPlatformMBeanServer().getAttribute(bean, "UnifiedCalls");
      default:
        throw new IllegalArgumentException("unknown command " + words[0]);
    }
  }

  private static String call(ClassLoader loader) throws Exception {
    Class<?> plugin = Class.forName("io.pathswitch.it.plugin.Plugin", true, loader);
    Object instance = plugin.getConstructor().newInstance();
    return (String) plugin.getMethod("answer").invoke(instance);
  }

  private static String drop(String name) {
    WeakReference<ClassLoader> dropped = new WeakReference<>(LOADERS.remove(name));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (dropped.get() != null && System.nanoTime() < deadline) {
      System.gc();
    }
    return dropped.get() == null ? "collected" : "still reachable";
  }
}
