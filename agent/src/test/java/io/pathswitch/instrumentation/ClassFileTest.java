package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** {@link ClassFile} and {@link MethodFile}: what a class file declares, in Java's names. */
class ClassFileTest {

  /** Compiled for its class file only; never initialised. */
  @SuppressWarnings({"serial", "unused"})
  abstract static class Sample extends Number implements Runnable, Serializable {

    static final long STARTED = System.nanoTime();

    public Sample() {}

    Sample(int size) {}

    public abstract long[] widths(int count, String[][] names, Inner inner, boolean flag);

    static native void touch(double value, char[] letters);

    public static Inner.Deeper make(List<String> names) {
      return null;
    }

    static final class Inner {
      static final class Deeper {}
    }
  }

  @Test
  void namesANestedClassWithDotsAndItsDollar() {
    ClassFile file = ClassFile.read(ClassBytes.bytesOf(Sample.Inner.Deeper.class));

    assertThat(file.name())
        .isEqualTo("io.pathswitch.instrumentation.ClassFileTest$Sample$Inner$Deeper");
    assertThat(file.internalName())
        .isEqualTo("io/pathswitch/instrumentation/ClassFileTest$Sample$Inner$Deeper");
    assertThat(file.toString()).isEqualTo(file.name());
  }

  @Test
  void readsTheHeaderOfACompiledClass() {
    ClassFile file = ClassFile.read(ClassBytes.bytesOf(Sample.class));

    assertThat(file.version()).isEqualTo(61);
    assertThat(file.superName()).contains("java.lang.Number");
    assertThat(file.interfaces()).containsExactly("java.lang.Runnable", "java.io.Serializable");
    assertThat(file.isAbstract()).isTrue();
    assertThat(file.isInterface()).isFalse();
    assertThat(file.access() & Opcodes.ACC_ABSTRACT).isNotZero();
  }

  @Test
  void listsEveryDeclaredMethodInClassFileOrderWithConstructorsAndTheTypeInitialiser() {
    ClassFile file = ClassFile.read(ClassBytes.bytesOf(Sample.class));

    assertThat(file.methods())
        .extracting(MethodFile::name)
        .containsExactly("<init>", "<init>", "widths", "touch", "make", "<clinit>");
    assertThat(file.methods())
        .filteredOn(MethodFile::isMethod)
        .extracting(MethodFile::name)
        .containsExactly("widths", "touch", "make");
    assertThat(file.methods())
        .filteredOn(MethodFile::isConstructor)
        .extracting(MethodFile::descriptor, MethodFile::isPublic)
        .containsExactly(tuple("()V", true), tuple("(I)V", false));
  }

  @Test
  void namesParameterAndReturnTypesAsJavaDoes() {
    ClassFile file = ClassFile.read(ClassBytes.bytesOf(Sample.class));

    MethodFile widths = method(file, "widths");
    assertThat(widths.parameterTypeNames())
        .containsExactly(
            "int",
            "java.lang.String[][]",
            "io.pathswitch.instrumentation.ClassFileTest$Sample$Inner",
            "boolean");
    assertThat(widths.returnTypeName()).isEqualTo("long[]");
    assertThat(widths.returnsVoid()).isFalse();
    assertThat(widths.parameterCount()).isEqualTo(4);
    assertThat(widths.isAbstract()).isTrue();
    assertThat(widths.isStatic()).isFalse();

    MethodFile touch = method(file, "touch");
    assertThat(touch.parameterTypeNames()).containsExactly("double", "char[]");
    assertThat(touch.returnTypeName()).isEqualTo("void");
    assertThat(touch.returnsVoid()).isTrue();
    assertThat(touch.isNative()).isTrue();
    assertThat(touch.isStatic()).isTrue();
    assertThat(touch.isPublic()).isFalse();

    MethodFile make = method(file, "make");
    assertThat(make.parameterTypeNames()).containsExactly("java.util.List");
    assertThat(make.returnTypeName())
        .isEqualTo("io.pathswitch.instrumentation.ClassFileTest$Sample$Inner$Deeper");
    assertThat(make.isPublic()).isTrue();
  }

  @Test
  void stripsTheMinorVersionAndReadsInterfacesWithoutSuperInterfaces() {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V1_1,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT,
        "a/Old",
        null,
        "java/lang/Object",
        null);
    writer.visitEnd();

    ClassFile file = ClassFile.read(writer.toByteArray());

    assertThat(Opcodes.V1_1 >>> 16).as("the minor version of Java 1.1").isEqualTo(3);
    assertThat(file.version()).isEqualTo(45);
    assertThat(file.isInterface()).isTrue();
    assertThat(file.interfaces()).isEmpty();
    assertThat(file.methods()).isEmpty();
  }

  @Test
  void objectAndModuleInfoHaveNoSuperClass() {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V9, Opcodes.ACC_MODULE, "module-info", null, null, null);
    writer.visitModule("a.b", 0, null).visitEnd();
    writer.visitEnd();

    ClassFile moduleInfo = ClassFile.read(writer.toByteArray());
    ClassFile object = TypeSource.of(null).find("java.lang.Object").orElseThrow();

    assertThat(moduleInfo.name()).isEqualTo("module-info");
    assertThat(moduleInfo.superName()).isEmpty();
    assertThat(object.superName()).isEmpty();
  }

  @Test
  void readsAClassFileNewerThanTheAgentsAsmKnowsAndKeepsItsVersion() {
    byte[] bytes = ClassBytes.bytesOf(Sample.class);
    bytes[6] = 0;
    bytes[7] = (byte) 200;

    ClassFile file = ClassFile.read(bytes);

    assertThat(file.version()).isEqualTo(200);
    assertThat(file.methods()).extracting(MethodFile::name).contains("widths", "touch", "make");
    assertThat(bytes[7]).isEqualTo((byte) 200);
  }

  @Test
  void refusesBytesThatAreNotAClassFile() {
    assertThatThrownBy(() -> ClassFile.read(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a class file: 3 bytes that do not start with 0xCAFEBABE");
  }

  @Test
  void refusesATruncatedClassFile() {
    byte[] bytes = ClassBytes.bytesOf(Sample.class);
    byte[] truncated = Arrays.copyOf(bytes, 40);

    assertThatThrownBy(() -> ClassFile.read(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed class file: ");
  }

  @Test
  void methodsListIsImmutable() {
    ClassFile file =
        ClassBytes.source(Map.of("a.B", ClassBytes.header(0, "a/B", "java/lang/Object")))
            .find("a.B")
            .orElseThrow();

    assertThatThrownBy(() -> file.methods().add(new MethodFile(0, "x", "()V")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static MethodFile method(ClassFile file, String name) {
    return file.methods().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }
}
