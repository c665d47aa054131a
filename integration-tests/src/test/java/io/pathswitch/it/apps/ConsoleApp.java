package io.pathswitch.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * A small application driven line by line from standard input, so a test can act on it between the
 * agent's steps. It needs nothing but the JDK, so it also runs as another user from the test
 * classes alone. Each command prints one line that starts with the command's name:
 *
 * <ul>
 *   <li>{@code call <n>}: calls {@link Greeter#greet} n times; prints how many answers came from
 *       each path and how many calls threw: {@code call: legacy=3 unified=7 exceptions=0}
 *   <li>{@code set <switch> <attribute> <value>}: writes a switch's attribute through the platform
 *       MBeanServer (a number for Percentage, true or false for Enabled, text otherwise); prints
 *       {@code set: ok} or {@code set: refused <exception>}
 *   <li>{@code assign <switch> <assignments> <source>}: calls the switch's operation {@code
 *       set(assignments, source)}; prints what it returns
 *   <li>{@code foreign <object name>}: registers an MBean of the application's own under that name
 *   <li>{@code bean <object name>}: prints the class of the MBean registered under that name, or
 *       {@code absent}
 * </ul>
 */
public final class ConsoleApp {

  private ConsoleApp() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.split(" ", 4);
      try {
        System.out.println(words[0] + ": " + run(words));
      } catch (Exception e) {
        System.out.println(words[0] + ": refused " + e);
      }
    }
  }

  private static String run(String[] words) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    switch (words[0]) {
      case "call":
        return call(Integer.parseInt(words[1]));
      case "set":
        ObjectName name = new ObjectName("io.pathswitch:type=Switch,name=" + words[1]);
        server.setAttribute(name, new Attribute(words[2], value(words[2], words[3])));
        return "ok";
      case "assign":
        return (String)
            server.invoke(
                new ObjectName("io.pathswitch:type=Switch,name=" + words[1]),
                "set",
                new Object[] {words[2], words.length == 4 ? words[3] : null},
                new String[] {String.class.getName(), String.class.getName()});
      case "foreign":
        server.registerMBean(
            new StandardMBean(new Foreign(), ForeignMBean.class), new ObjectName(words[1]));
        return "registered";
      case "bean":
        ObjectName bean = new ObjectName(words[1]);
        return server.isRegistered(bean) ? server.getObjectInstance(bean).getClassName() : "absent";
      default:
        throw new IllegalArgumentException("unknown command " + words[0]);
    }
  }

  private static Object value(String attribute, String text) {
    switch (attribute) {
      case "Percentage":
        return Double.valueOf(text);
      case "Enabled":
        return Boolean.valueOf(text);
      default:
        return text;
    }
  }

  private static String call(int times) {
    Greeter greeter = new Greeter();
    Map<String, Integer> answers = new TreeMap<>(Map.of("legacy", 0, "unified", 0));
    int exceptions = 0;
    for (int i = 0; i < times; i++) {
      try {
        answers.merge(greeter.greet(i), 1, Integer::sum);
      } catch (RuntimeException | Error e) {
        exceptions++;
      }
    }
    StringBuilder text = new StringBuilder();
    answers.forEach((answer, count) -> text.append(answer).append('=').append(count).append(' '));
    return text.append("exceptions=").append(exceptions).toString();
  }

  /** The switched class: the legacy method and a unified one of the same instance. */
  public static final class Greeter {

    public String greet(int i) {
      return "legacy";
    }

    public String greetUnified(int i) {
      return "unified";
    }
  }

  /** A unified engine whose class cannot initialise: its static initialiser throws. */
  public static final class BrokenEngine {

    private static final String LICENCE = licence();

    private BrokenEngine() {}

    public static String greet(int i) {
      return "unified " + LICENCE;
    }

    private static String licence() {
      throw new IllegalStateException("no licence for the unified engine");
    }
  }

  /** An MBean of the application's own. */
  public interface ForeignMBean {
    String getOwner();
  }

  /** The application's own MBean, registered under a name the agent would use. */
  public static final class Foreign implements ForeignMBean {
    @Override
    public String getOwner() {
      return "the application";
    }
  }
}
