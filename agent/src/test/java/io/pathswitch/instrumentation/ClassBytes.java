package io.pathswitch.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** Class files for tests: a compiled class's own bytes, or a header made with ASM. */
final class ClassBytes {

  private ClassBytes() {}

  /** The bytes {@code type} was compiled to, read as a resource: the class is not initialised. */
  static byte[] bytesOf(Class<?> type) {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A public class file with no members, names given with slashes. */
  static byte[] header(int access, String name, String superName, String... interfaces) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | access, name, null, superName, interfaces);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** A type source over class files in memory, by dotted name. */
  static TypeSource source(Map<String, byte[]> classFiles) {
    return name -> Optional.ofNullable(classFiles.get(name)).map(ClassFile::read);
  }
}
