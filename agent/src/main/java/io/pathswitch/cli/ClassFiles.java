package io.pathswitch.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * An application's class files, read from its jars and folders as bytes: no class is loaded and no
 * static initialiser runs. Types of the JDK come from the JDK running this command. Close it to
 * close the jars.
 */
final class ClassFiles implements Closeable {

  private final List<ClassFileLocator> locators;
  private final TypePool pool;

  private ClassFiles(List<ClassFileLocator> locators) {
    this.locators = locators;
    List<ClassFileLocator> all = new ArrayList<>(locators);
    all.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
    this.pool = TypePool.Default.of(new ClassFileLocator.Compound(all));
  }

  /** Opens every jar and folder of {@code classPath}; fails on the first that is neither. */
  static ClassFiles open(List<Path> classPath) {
    List<ClassFileLocator> locators = new ArrayList<>();
    try {
      for (Path entry : classPath) {
        locators.add(locator(entry));
      }
    } catch (Failure e) {
      close(locators);
      throw e;
    }
    return new ClassFiles(locators);
  }

  private static ClassFileLocator locator(Path entry) {
    if (Files.isDirectory(entry)) {
      return new ClassFileLocator.ForFolder(entry.toFile());
    }
    if (!Files.isRegularFile(entry)) {
      throw new Failure("class path entry " + entry + ": no such jar or folder");
    }
    try {
      return ClassFileLocator.ForJarFile.of(entry.toFile());
    } catch (IOException e) {
      throw new Failure("class path entry " + entry + " is not a readable jar: " + Main.oneLine(e));
    }
  }

  TypePool pool() {
    return pool;
  }

  @Override
  public void close() {
    close(locators);
  }

  private static void close(List<ClassFileLocator> locators) {
    for (ClassFileLocator locator : locators) {
      try {
        locator.close();
      } catch (IOException e) {
        // Only read from; nothing is lost when closing fails.
      }
    }
  }
}
