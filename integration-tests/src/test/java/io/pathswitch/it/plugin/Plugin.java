package io.pathswitch.it.plugin;

/**
 * A class that applications load in class loaders of their own, as an application server loads a
 * web application's classes; never loaded by the application class loader in the tests.
 */
public class Plugin {

  public String answer() {
    return "legacy from " + Plugin.class.getClassLoader().getName();
  }
}
