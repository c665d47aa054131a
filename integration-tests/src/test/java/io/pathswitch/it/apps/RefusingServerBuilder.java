package io.pathswitch.it.apps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;

/**
 * An MBeanServer that refuses, with a {@link SecurityException}, to register any MBean outside the
 * JDK's own domains, as an application server locked down by its security policy does. Given to a
 * JVM with {@code -Djavax.management.builder.initial=io.pathswitch.it.apps.RefusingServerBuilder},
 * it becomes the platform MBeanServer; the agent's beans and meters are refused.
 */
public final class RefusingServerBuilder extends MBeanServerBuilder {

  private static final Set<String> JDK_DOMAINS =
      Set.of(
          "JMImplementation",
          "java.lang",
          "java.nio",
          "java.util.logging",
          "com.sun.management",
          "jdk.management.jfr");

  @Override
  public MBeanServer newMBeanServer(
      String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
    MBeanServer server = super.newMBeanServer(defaultDomain, outer, delegate);
    return (MBeanServer)
        Proxy.newProxyInstance(
            MBeanServer.class.getClassLoader(),
            new Class<?>[] {MBeanServer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("registerMBean")
                  && !JDK_DOMAINS.contains(((ObjectName) args[1]).getDomain())) {
                throw new SecurityException(
                    "MBean registration is not permitted for " + args[1] + " by the policy");
              }
              try {
                return method.invoke(server, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
