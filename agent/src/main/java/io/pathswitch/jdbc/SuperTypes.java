package io.pathswitch.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;

/**
 * Whether a class is a JDBC statement or connection, told from the headers of its super types'
 * class files (super class and interfaces), read through the class's loader as resources. It never
 * loads a class: it runs inside a class file transformer, where loading one could deadlock or load
 * a class before the application would have.
 *
 * <p>What each super type is gets remembered per class loader, for as long as the loader lives, so
 * that the classes of one driver read their common ancestors once; the JDK's types are remembered
 * for all loaders. Only the ancestors of classes that pass {@link JdbcClassNames} are read, a few
 * dozen per driver, and a loader's share is dropped whole should it ever reach {@link #REMEMBERED}.
 *
 * <p>Thread-safe; no lock is held while a class file is read, since a class loader's own locks may
 * be taken meanwhile.
 */
final class SuperTypes {

  /** The class has {@code java.sql.Statement} among its super types. */
  static final int STATEMENT = 1;

  /** The class has {@code java.sql.Connection} among its super types. */
  static final int CONNECTION = 2;

  /** The most super types remembered for one class loader. */
  static final int REMEMBERED = 4096;

  /** Deeper than any real hierarchy; a cycle in broken class files ends here. */
  private static final int DEEPEST = 64;

  private final Map<String, Integer> ofJdk = new ConcurrentHashMap<>();
  private final Map<String, Integer> ofBootLoader = new ConcurrentHashMap<>();
  private final Map<ClassLoader, Map<String, Integer>> byLoader = new WeakHashMap<>();

  /**
   * {@link #STATEMENT} and {@link #CONNECTION}, or-ed, for the class whose own class file is {@code
   * type} and which {@code loader} (null for the boot loader) defines.
   *
   * @throws IOException when the class file of one of its super types cannot be found or read
   */
  int of(ClassLoader loader, ClassReader type) throws IOException {
    return ofSupers(loader, type, 0);
  }

  private int ofSupers(ClassLoader loader, ClassReader type, int depth) throws IOException {
    int kinds = 0;
    String superName = type.getSuperName();
    if (superName != null) {
      kinds |= ofType(loader, superName, depth + 1);
    }
    for (String name : type.getInterfaces()) {
      kinds |= ofType(loader, name, depth + 1);
    }
    return kinds;
  }

  /** What the type of this internal name is, itself included. */
  private int ofType(ClassLoader loader, String name, int depth) throws IOException {
    switch (name) {
      case "java/sql/Statement":
        return STATEMENT;
      case "java/sql/Connection":
        return CONNECTION;
      case "java/lang/Object":
        return 0;
      default:
        break;
    }
    boolean jdk = name.startsWith("java/");
    Map<String, Integer> known = jdk ? ofJdk : rememberedFor(loader);
    Integer kinds = known.get(name);
    if (kinds != null) {
      return kinds;
    }
    if (depth > DEEPEST) {
      throw new IOException("the super types of " + name + " go deeper than " + DEEPEST);
    }
    // The JDK's java.* types come from the boot and platform loaders, whatever loads the driver.
    ClassLoader reading = jdk || loader == null ? ClassLoader.getPlatformClassLoader() : loader;
    kinds = ofSupers(reading, header(reading, name), depth);
    if (known.size() >= REMEMBERED) {
      known.clear();
    }
    known.put(name, kinds);
    return kinds;
  }

  private Map<String, Integer> rememberedFor(ClassLoader loader) {
    if (loader == null) {
      return ofBootLoader;
    }
    synchronized (byLoader) {
      return byLoader.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
    }
  }

  private static ClassReader header(ClassLoader loader, String name) throws IOException {
    try (InputStream in = loader.getResourceAsStream(name + ".class")) {
      if (in == null) {
        throw new IOException("no class file for " + name + " in " + loader);
      }
      return new ClassReader(in);
    }
  }
}
