package io.pathswitch.jmx;

/** The agent over JMX: {@code io.pathswitch:type=Agent}. */
public interface AgentMXBean {

  String getVersion();

  String getConfigFile();

  String[] getSwitches();

  /** Reads the configuration file again; switches that keep their name keep their figures. */
  String reload();

  /** Restores the original bytecode, unregisters the agent's MBeans and stops its threads. */
  String detach();
}
