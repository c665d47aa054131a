package io.pathswitch.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * An application whose legacy class loads only when first used: on each line "greet" from standard
 * input it prints "greeting: " and what {@link Greeter#greet()} returns. Until then {@link Greeter}
 * is not loaded, so an agent attached before sees it load later.
 */
public final class LateLoadingApp {

  private LateLoadingApp() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("greet")) {
        System.out.println("greeting: " + Greeter.greet());
      }
    }
  }

  /** The legacy method and its replacement. */
  public static final class Greeter {

    private Greeter() {}

    public static String greet() {
      return "legacy";
    }

    public static String greetUnified() {
      return "unified";
    }
  }
}
