package io.pathswitch.it.plugin;

/** The unified side of {@link Plugin}: an instance of its own, made once per loaded class. */
public class PluginEngine {

  public String answer() {
    return "unified from " + PluginEngine.class.getClassLoader().getName();
  }
}
