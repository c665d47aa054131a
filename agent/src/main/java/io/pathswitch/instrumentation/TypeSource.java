package io.pathswitch.instrumentation;

import java.util.Optional;

/** Where class files come from, by binary name ({@code a.b.C}); implementations cache them. */
public interface TypeSource {

  /**
   * The class file of {@code className}, empty when there is none. A class file that is there but
   * cannot be read fails with an exception.
   */
  Optional<ClassFile> find(String className);

  /**
   * The class file of {@code name} from {@code bytes}, every other from the resources of {@code
   * loader} ({@code null} for the boot loader): what a class file transformer sees. Loads no class.
   * Not thread-safe: one per transformation.
   */
  static TypeSource of(ClassLoader loader, String name, byte[] bytes) {
    return new ClassLoaderTypes(loader, name, bytes);
  }

  /** Every class file from the resources of {@code loader} ({@code null} for the boot loader). */
  static TypeSource of(ClassLoader loader) {
    return new ClassLoaderTypes(loader, null, null);
  }
}
