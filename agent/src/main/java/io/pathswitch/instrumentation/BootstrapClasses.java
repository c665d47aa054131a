package io.pathswitch.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts the few classes that instrumented code calls into on the bootstrap class path, so that
 * advice inlined into a class of any loader can see them. Must run before anything loads them from
 * the agent's own loader. The JVM then prints "Sharing is only supported for boot loader classes
 * because bootstrap classpath has been appended", which is harmless.
 */
public final class BootstrapClasses {

  static final List<String> NAMES =
      List.of(
          "io.pathswitch.bootstrap.Route",
          "io.pathswitch.bootstrap.Routes",
          "io.pathswitch.bootstrap.FallBack",
          "io.pathswitch.bootstrap.Keys",
          "io.pathswitch.bootstrap.Statements",
          "io.pathswitch.bootstrap.StatementThread",
          "io.pathswitch.bootstrap.CallStatements",
          "io.pathswitch.bootstrap.StatementShapes");

  /** The revision of the bootstrap classes this agent was built with; a constant, loads nothing. */
  static final int REVISION = io.pathswitch.bootstrap.Routes.REVISION;

  private BootstrapClasses() {}

  /**
   * Why this agent cannot use the bootstrap classes already in this JVM (an earlier attach of
   * another pathswitch version left them there), or empty when it can, or when there are none.
   */
  public static Optional<String> conflict() {
    try {
      return conflict(Class.forName(NAMES.get(1), false, null));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }

  static Optional<String> conflict(Class<?> routes) {
    int present;
    try {
      present = routes.getField("REVISION").getInt(null);
    } catch (ReflectiveOperationException e) {
      present = 1; // the first revision had no such field
    }
    if (present == REVISION) {
      return Optional.empty();
    }
    return Optional.of(
        "this JVM holds the bootstrap classes of another pathswitch version (revision "
            + present
            + ", this agent needs "
            + REVISION
            + "), which only a restart replaces; restart the JVM to use this version, or attach"
            + " the version that was attached before");
  }

  /** Appends the bootstrap classes once per JVM; a later attach finds them there already. */
  public static void inject(Instrumentation instrumentation) throws IOException {
    if (present()) {
      return;
    }
    Path jar = Files.createTempFile("pathswitch-bootstrap-", ".jar");
    try {
      Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the temporary folder's own permissions apply.
    }
    jar.toFile().deleteOnExit();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (String name : NAMES) {
        String resource = name.replace('.', '/') + ".class";
        out.putNextEntry(new ZipEntry(resource));
        try (InputStream in =
            BootstrapClasses.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw new IOException("the agent's jar lacks " + resource);
          }
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  private static boolean present() {
    try {
      Class.forName(NAMES.get(1), false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
