package io.pathswitch.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A small application for the tests: on each line "run" from standard input it routes the keys 0 to
 * 9,999 and prints which of them the unified path served, as one line "unified: k,k,…".
 */
public final class KeyedApp {

  private KeyedApp() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("run")) {
        StringBuilder unified = new StringBuilder("unified:");
        for (long key = 0; key < 10_000; key++) {
          if (Router.route(key).equals("unified")) {
            unified.append(key).append(',');
          }
        }
        System.out.println(unified);
      }
    }
  }

  /** The legacy method a switch diverts by its key argument. */
  public static final class Router {

    private Router() {}

    public static String route(long key) {
      return "legacy";
    }

    public static String routeUnified(long key) {
      return "unified";
    }

    public static String route(String key) {
      return "legacy";
    }
  }
}
