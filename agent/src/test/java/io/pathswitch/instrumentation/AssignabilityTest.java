package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.Opcodes;

/** {@link TargetCheck#isAssignable}: widening of references, judged from class files. */
class AssignabilityTest {

  private static final int INTERFACE = Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT;

  private final TypeSource jdk = TypeSource.of(null);

  @Test
  void aClassIsAssignableToItsSuperClassesNotTheOtherWayRound() {
    assertThat(TargetCheck.isAssignable("java.util.ArrayList", "java.util.AbstractList", jdk))
        .isTrue();
    assertThat(TargetCheck.isAssignable("java.util.ArrayList", "java.util.AbstractCollection", jdk))
        .isTrue();
    assertThat(TargetCheck.isAssignable("java.util.AbstractList", "java.util.ArrayList", jdk))
        .isFalse();
    assertThat(TargetCheck.isAssignable("java.lang.Integer", "java.lang.CharSequence", jdk))
        .isFalse();
  }

  @Test
  void aClassIsAssignableToAnInterfaceItsSuperClassImplements() {
    TypeSource types =
        ClassBytes.source(
            Map.of(
                "a.C", ClassBytes.header(0, "a/C", "a/B"),
                "a.B", ClassBytes.header(0, "a/B", "java/lang/Object", "a/I"),
                "a.I", ClassBytes.header(INTERFACE, "a/I", "java/lang/Object", "a/J"),
                "a.J", ClassBytes.header(INTERFACE, "a/J", "java/lang/Object")));

    assertThat(TargetCheck.isAssignable("a.C", "a.J", types)).isTrue();
    assertThat(TargetCheck.isAssignable("a.C", "a.I", types)).isTrue();
    assertThat(TargetCheck.isAssignable("a.I", "a.J", types)).isTrue();
    assertThat(TargetCheck.isAssignable("a.J", "a.I", types)).isFalse();
    assertThat(TargetCheck.isAssignable("a.B", "a.C", types)).isFalse();
    assertThat(TargetCheck.isAssignable("java.util.ArrayList", "java.util.Collection", jdk))
        .isTrue();
  }

  @Test
  void arraysOfReferencesAreCovariant() {
    assertThat(TargetCheck.isAssignable("java.lang.Integer[]", "java.lang.Number[]", jdk)).isTrue();
    assertThat(TargetCheck.isAssignable("java.lang.Number[]", "java.lang.Integer[]", jdk))
        .isFalse();
    assertThat(TargetCheck.isAssignable("java.lang.Integer[][]", "java.lang.Object[][]", jdk))
        .isTrue();
    assertThat(TargetCheck.isAssignable("java.lang.Integer[][]", "java.lang.Object[]", jdk))
        .isTrue();
    assertThat(TargetCheck.isAssignable("java.lang.Integer[]", "java.lang.Integer[][]", jdk))
        .isFalse();
    assertThat(TargetCheck.isAssignable("java.lang.Integer", "java.lang.Integer[]", jdk)).isFalse();
  }

  @Test
  void arraysOfPrimitivesAreAssignableOnlyToTheirOwnType() {
    assertThat(TargetCheck.isAssignable("int[]", "int[]", jdk)).isTrue();
    assertThat(TargetCheck.isAssignable("int[]", "long[]", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("int[]", "java.lang.Object[]", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("int[]", "java.lang.Integer[]", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("int[][]", "java.lang.Object[]", jdk)).isTrue();
  }

  @Test
  void everyArrayIsAnObjectACloneableAndASerializable() {
    for (String array : new String[] {"long[]", "java.lang.String[]", "a.Missing[][]"}) {
      assertThat(TargetCheck.isAssignable(array, "java.lang.Object", jdk)).isTrue();
      assertThat(TargetCheck.isAssignable(array, "java.lang.Cloneable", jdk)).isTrue();
      assertThat(TargetCheck.isAssignable(array, "java.io.Serializable", jdk)).isTrue();
      assertThat(TargetCheck.isAssignable(array, "java.lang.Comparable", jdk)).isFalse();
    }
    assertThat(TargetCheck.isAssignable("a.Missing", "java.lang.Object", jdk)).isTrue();
  }

  @Test
  void aPrimitiveIsAssignableOnlyToItself() {
    assertThat(TargetCheck.isAssignable("int", "int", jdk)).isTrue();
    assertThat(TargetCheck.isAssignable("int", "long", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("int", "java.lang.Object", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("int", "java.lang.Integer", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("java.lang.Integer", "int", jdk)).isFalse();
    assertThat(TargetCheck.isAssignable("void", "java.lang.Object", jdk)).isFalse();
  }

  @Test
  void anAncestorThatCannotBeFoundLeadsNowhere() {
    TypeSource types =
        ClassBytes.source(
            Map.of(
                "a.C",
                ClassBytes.header(0, "a/C", "a/MissingBase", "a/MissingInterface"),
                "a.I",
                ClassBytes.header(INTERFACE, "a/I", "java/lang/Object")));

    assertThat(TargetCheck.isAssignable("a.C", "a.I", types)).isFalse();
    assertThat(TargetCheck.isAssignable("a.C", "java.io.Closeable", types)).isFalse();
    assertThat(TargetCheck.isAssignable("a.C", "a.MissingBase", types)).isTrue();
    assertThat(TargetCheck.isAssignable("a.C", "a.MissingInterface", types)).isTrue();
    assertThat(TargetCheck.isAssignable("a.Missing", "a.I", types)).isFalse();
  }

  @Test
  @Timeout(10)
  void endsTheWalkInClassFilesThatNameEachOtherAsAncestors() {
    TypeSource types =
        ClassBytes.source(
            Map.of(
                "a.A", ClassBytes.header(0, "a/A", "a/B"),
                "a.B", ClassBytes.header(0, "a/B", "a/A", "a/I"),
                "a.I", ClassBytes.header(INTERFACE, "a/I", "java/lang/Object", "a/J"),
                "a.J", ClassBytes.header(INTERFACE, "a/J", "java/lang/Object", "a/I")));

    assertThat(TargetCheck.isAssignable("a.A", "a.Unrelated", types)).isFalse();
    assertThat(TargetCheck.isAssignable("a.I", "a.Unrelated", types)).isFalse();
    assertThat(TargetCheck.isAssignable("a.A", "a.J", types)).isTrue();
  }

  @Test
  void readsEachAncestorOnceWhereInterfacesMeet() {
    TypeSource diamond =
        ClassBytes.source(
            Map.of(
                "a.C", ClassBytes.header(0, "a/C", "java/lang/Object", "a/I", "a/J"),
                "a.I", ClassBytes.header(INTERFACE, "a/I", "java/lang/Object", "a/K"),
                "a.J", ClassBytes.header(INTERFACE, "a/J", "java/lang/Object", "a/K"),
                "a.K", ClassBytes.header(INTERFACE, "a/K", "java/lang/Object")));
    List<String> asked = new ArrayList<>();
    TypeSource counted =
        name -> {
          asked.add(name);
          return diamond.find(name);
        };

    boolean assignable = TargetCheck.isAssignable("a.C", "a.Unrelated", counted);

    assertThat(assignable).isFalse();
    assertThat(asked).containsExactlyInAnyOrder("a.C", "a.I", "a.J", "a.K", "java.lang.Object");
  }

  @Test
  @Timeout(10)
  void givesUpOnAnEndlessChainOfDistinctAncestors() {
    TypeSource endless =
        name ->
            Optional.of(
                ClassFile.read(
                    ClassBytes.header(0, name.replace('.', '/'), name.replace('.', '/') + "x")));

    assertThat(TargetCheck.isAssignable("a.A", "a.Unrelated", endless)).isFalse();
  }
}
