package io.pathswitch.cli;

import io.pathswitch.instrumentation.ClassFile;
import io.pathswitch.instrumentation.TypeSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * An application's class files, read from its jars and folders as bytes: no class is loaded and no
 * static initialiser runs. Types of the JDK come from the JDK running this command. Each class file
 * is read once. Close it to close the jars. Not thread-safe.
 */
final class ClassFiles implements TypeSource, Closeable {

  private final List<Entry> entries;
  private final TypeSource jdk = TypeSource.of(ClassLoader.getPlatformClassLoader());
  private final Map<String, Optional<ClassFile>> read = new HashMap<>();

  private ClassFiles(List<Entry> entries) {
    this.entries = entries;
  }

  /** Opens every jar and folder of {@code classPath}; fails on the first that is neither. */
  static ClassFiles open(List<Path> classPath) {
    List<Entry> entries = new ArrayList<>();
    try {
      for (Path entry : classPath) {
        entries.add(entry(entry));
      }
    } catch (Failure e) {
      close(entries);
      throw e;
    }
    return new ClassFiles(entries);
  }

  private static Entry entry(Path entry) {
    if (Files.isDirectory(entry)) {
      return new Folder(entry);
    }
    if (!Files.isRegularFile(entry)) {
      throw new Failure("class path entry " + entry + ": no such jar or folder");
    }
    try {
      return new Jar(new JarFile(entry.toFile()));
    } catch (IOException e) {
      throw new Failure("class path entry " + entry + " is not a readable jar: " + Main.oneLine(e));
    }
  }

  /** The first class file of that name on the class path, else the JDK's. */
  @Override
  public Optional<ClassFile> find(String className) {
    return read.computeIfAbsent(className, this::read);
  }

  private Optional<ClassFile> read(String className) {
    String resource = className.replace('.', '/') + ".class";
    try {
      for (Entry entry : entries) {
        byte[] bytes = entry.read(resource);
        if (bytes != null) {
          return Optional.of(ClassFile.read(bytes));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + ": " + Main.oneLine(e), e);
    }
    return jdk.find(className);
  }

  @Override
  public void close() {
    close(entries);
  }

  private static void close(List<Entry> entries) {
    for (Entry entry : entries) {
      try {
        entry.close();
      } catch (IOException e) {
        // Only read from; nothing is lost when closing fails.
      }
    }
  }

  /** A jar or a folder of the class path. */
  private interface Entry extends Closeable {

    /** The bytes of {@code resource}, or null when this entry has none. */
    byte[] read(String resource) throws IOException;
  }

  private record Folder(Path root) implements Entry {

    @Override
    public byte[] read(String resource) throws IOException {
      Path file = root.resolve(resource);
      return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    public void close() {}
  }

  private record Jar(JarFile jar) implements Entry {

    @Override
    public byte[] read(String resource) throws IOException {
      ZipEntry entry = jar.getEntry(resource);
      if (entry == null) {
        return null;
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }

    @Override
    public void close() throws IOException {
      jar.close();
    }
  }
}
