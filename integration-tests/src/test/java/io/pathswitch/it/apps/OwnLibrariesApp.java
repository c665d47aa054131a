package io.pathswitch.it.apps;

import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application that carries its own Byte Buddy and SLF4J (other versions than the agent's): it
 * must run beside the agent unaffected, logging through its own binding.
 */
public final class OwnLibrariesApp {

  private OwnLibrariesApp() {}

  private static String jarOf(Class<?> type) {
    String location = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  public static void main(String[] args) throws Exception {
    Logger log = LoggerFactory.getLogger(OwnLibrariesApp.class);
    Callable<?> generated =
        new ByteBuddy()
            .subclass(Callable.class)
            .method(ElementMatchers.named("call"))
            .intercept(
                FixedValue.value(
                    "made by the application's Byte Buddy from " + jarOf(ByteBuddy.class)))
            .make()
            .load(OwnLibrariesApp.class.getClassLoader())
            .getLoaded()
            .getDeclaredConstructor()
            .newInstance();
    log.info("application log: {}", generated.call());
    System.out.println("greeting: " + KeyedApp.Router.route(7L));
    System.out.println(
        "slf4j of the application: " + LoggerFactory.getILoggerFactory().getClass().getName());
  }
}
