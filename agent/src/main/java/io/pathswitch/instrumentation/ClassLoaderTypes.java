package io.pathswitch.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Class files read as a class loader's resources, never loaded, each read once. The class being
 * transformed is not yet a resource of its loader (or is an older version of it), so its bytes are
 * given. Not thread-safe.
 */
final class ClassLoaderTypes implements TypeSource {

  private final ClassLoader loader;
  private final String name;
  private final byte[] bytes;
  private final Map<String, Optional<ClassFile>> read = new HashMap<>();

  /** {@code name} and {@code bytes} may be null together: then every class is a resource. */
  ClassLoaderTypes(ClassLoader loader, String name, byte[] bytes) {
    // The boot loader has no object; the platform loader reads the resources of every JDK module,
    // boot modules included.
    this.loader = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
    this.name = name;
    this.bytes = bytes;
  }

  @Override
  public Optional<ClassFile> find(String className) {
    return read.computeIfAbsent(className, this::read);
  }

  private Optional<ClassFile> read(String className) {
    if (className.equals(name)) {
      return Optional.of(ClassFile.read(bytes));
    }
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(ClassFile.read(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from " + loader, e);
    }
  }
}
