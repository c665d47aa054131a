package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link TypeSource#of}: class files from the bytes being transformed and a loader's resources. */
class TypeSourceTest {

  private static final byte[] OLD_B = ClassBytes.header(0, "a/B", "java/lang/Object");
  private static final byte[] NEW_B = ClassBytes.header(0, "a/B", "a/Base");
  private static final byte[] BASE = ClassBytes.header(0, "a/Base", "java/lang/Object");

  @Test
  void findsAClassAmongTheLoadersResources() {
    ResourceLoader loader = new ResourceLoader(Map.of("a/Base.class", BASE));
    TypeSource types = TypeSource.of(loader, "a.B", NEW_B);

    Optional<ClassFile> base = types.find("a.Base");

    assertThat(base).map(ClassFile::name).contains("a.Base");
    assertThat(loader.asked).containsExactly("a/Base.class");
  }

  @Test
  void readsTheTransformedClassFromItsBytesNotFromTheLoader() {
    ResourceLoader loader = new ResourceLoader(Map.of("a/B.class", OLD_B));
    TypeSource types = TypeSource.of(loader, "a.B", NEW_B);

    Optional<ClassFile> b = types.find("a.B");

    assertThat(b.flatMap(ClassFile::superName)).contains("a.Base");
    assertThat(loader.asked).isEmpty();
  }

  @Test
  void findsNothingForAMissingClassAndNeverLoadsOne() {
    ResourceLoader loader = new ResourceLoader(Map.of());
    TypeSource types = TypeSource.of(loader, "a.B", NEW_B);

    assertThat(types.find("a.Missing")).isEmpty();
    assertThat(loader.asked).containsExactly("a/Missing.class");
  }

  @Test
  void readsEachClassOnceFoundOrNot() {
    ResourceLoader loader = new ResourceLoader(Map.of("a/Base.class", BASE));
    TypeSource types = TypeSource.of(loader, "a.B", NEW_B);

    ClassFile first = types.find("a.Base").orElseThrow();
    ClassFile second = types.find("a.Base").orElseThrow();
    types.find("a.Missing");
    types.find("a.Missing");

    assertThat(second).isSameAs(first);
    assertThat(types.find("a.B").orElseThrow()).isSameAs(types.find("a.B").orElseThrow());
    assertThat(loader.asked).containsExactly("a/Base.class", "a/Missing.class");
  }

  @Test
  void readsTheJdksClassFilesForTheBootLoader() {
    TypeSource types = TypeSource.of(null, "a.B", NEW_B);

    assertThat(types.find("java.lang.String").flatMap(ClassFile::superName))
        .contains("java.lang.Object");
    assertThat(types.find("java.sql.Connection").map(ClassFile::isInterface)).contains(true);
    assertThat(types.find("a.B")).isPresent();
    assertThat(types.find("io.pathswitch.instrumentation.TypeSourceTest")).isEmpty();
  }

  @Test
  void failsOnAResourceThatIsNotAClassFile() {
    ResourceLoader loader = new ResourceLoader(Map.of("a/Base.class", new byte[] {0, 1}));
    TypeSource types = TypeSource.of(loader, "a.B", NEW_B);

    assertThatThrownBy(() -> types.find("a.Base"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a class file");
  }

  /** Serves class files as resources, notes each one asked for, and loads no class at all. */
  private static final class ResourceLoader extends ClassLoader {

    final List<String> asked = new ArrayList<>();
    private final Map<String, byte[]> resources;

    ResourceLoader(Map<String, byte[]> resources) {
      super(null);
      this.resources = resources;
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      asked.add(name);
      byte[] bytes = resources.get(name);
      return bytes == null ? null : new ByteArrayInputStream(bytes);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) {
      throw new AssertionError("a type source loaded " + name);
    }
  }
}
