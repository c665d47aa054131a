package io.pathswitch.instrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * One class file's header and declared methods, read with ASM without their code: no class is
 * loaded and no static initialiser runs. Names are binary names with dots ({@code a.b.C$D}).
 * Immutable and thread-safe.
 */
public final class ClassFile {

  private static final int MAGIC = 0xCAFEBABE;

  private final String internalName;
  private final int version;
  private final int access;
  private final String superName;
  private final List<String> interfaces;
  private final List<MethodFile> methods;

  private ClassFile(
      String internalName,
      int version,
      int access,
      String superName,
      List<String> interfaces,
      List<MethodFile> methods) {
    this.internalName = internalName;
    this.version = version;
    this.access = access;
    this.superName = superName;
    this.interfaces = List.copyOf(interfaces);
    this.methods = List.copyOf(methods);
  }

  /**
   * Reads {@code bytes}; throws {@link IllegalArgumentException} when they are not a class file.
   */
  public static ClassFile read(byte[] bytes) {
    if (bytes.length < 10 || readInt(bytes, 0) != MAGIC) {
      throw new IllegalArgumentException(
          "not a class file: " + bytes.length + " bytes that do not start with 0xCAFEBABE");
    }
    try {
      Reader reader = new Reader();
      reader(bytes)
          .accept(reader, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      int major = readShort(bytes, 6);
      return new ClassFile(
          reader.name, major, reader.access, reader.superName, reader.interfaces, reader.methods);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed class file: " + e, e);
    }
  }

  /**
   * ASM refuses a class file newer than the newest version it knows, yet without their code the
   * header and the methods of such a file read as those of an older one: a JDK newer than the
   * agent's ASM would otherwise make every one of its own classes unreadable.
   */
  private static ClassReader reader(byte[] bytes) {
    try {
      return new ClassReader(bytes);
    } catch (IllegalArgumentException unsupported) {
      if (readShort(bytes, 6) <= Opcodes.V17) {
        throw unsupported;
      }
      byte[] older = Arrays.copyOf(bytes, bytes.length);
      older[4] = 0;
      older[5] = 0;
      older[6] = 0;
      older[7] = (byte) Opcodes.V17;
      return new ClassReader(older);
    }
  }

  private static int readShort(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
  }

  private static int readInt(byte[] bytes, int offset) {
    return (readShort(bytes, offset) << 16) | readShort(bytes, offset + 2);
  }

  /** The binary name with dots: {@code a.b.C$D}. */
  public String name() {
    return internalName.replace('/', '.');
  }

  /** The name as the class file gives it: {@code a/b/C$D}. */
  public String internalName() {
    return internalName;
  }

  /** The major version, such as 61 for Java 17. */
  public int version() {
    return version;
  }

  /** The access flags of the class, as {@link Opcodes} defines them. */
  public int access() {
    return access;
  }

  public boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }

  public boolean isAbstract() {
    return (access & Opcodes.ACC_ABSTRACT) != 0;
  }

  /** The super class, empty for {@code java.lang.Object} and {@code module-info}. */
  public Optional<String> superName() {
    return Optional.ofNullable(superName).map(name -> name.replace('/', '.'));
  }

  /** The interfaces the class names as its own, in class-file order. */
  public List<String> interfaces() {
    return interfaces.stream().map(name -> name.replace('/', '.')).toList();
  }

  /** The declared methods, constructors and type initialiser included, in class-file order. */
  public List<MethodFile> methods() {
    return methods;
  }

  @Override
  public String toString() {
    return name();
  }

  /** Collects what {@link ClassFile} keeps; used once. */
  private static final class Reader extends ClassVisitor {

    String name;
    int access;
    String superName;
    List<String> interfaces = List.of();
    final List<MethodFile> methods = new ArrayList<>();

    Reader() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      this.name = name;
      this.access = access;
      this.superName = superName;
      this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      methods.add(new MethodFile(access, name, descriptor));
      return null;
    }
  }
}
