/**
 * The agent's configuration: the {@code .properties} file read into an immutable {@link
 * io.pathswitch.config.AgentConfig}, the agent's argument string, and the value parsers that JMX
 * and the CLI share with the file. A config with any problem is rejected whole, every problem
 * reported at once.
 */
package io.pathswitch.config;
