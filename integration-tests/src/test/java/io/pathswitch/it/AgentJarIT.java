package io.pathswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent's jar carries everything relocated, so it never collides with an application. */
class AgentJarIT {

  @Test
  void holdsNothingOutsideItsOwnPackagesAndMetaInf() throws Exception {
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      List<String> outside =
          jar.stream()
              .map(JarEntry::getName)
              .filter(name -> !name.startsWith("io/pathswitch/") && !name.equals("io/"))
              .filter(name -> !name.startsWith("META-INF/"))
              .collect(Collectors.toList());
      List<String> versioned =
          jar.stream()
              .map(JarEntry::getName)
              .filter(name -> name.startsWith("META-INF/versions/") && name.endsWith(".class"))
              .filter(name -> !name.matches("META-INF/versions/\\d+/io/pathswitch/.*"))
              .collect(Collectors.toList());

      assertThat(outside).isEmpty();
      assertThat(versioned).isEmpty();
    }
  }

  @Test
  void declaresItsEntryPointsAndRetransformation() throws Exception {
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      Attributes manifest = jar.getManifest().getMainAttributes();

      assertThat(manifest.getValue("Premain-Class")).isEqualTo("io.pathswitch.PathswitchAgent");
      assertThat(manifest.getValue("Agent-Class")).isEqualTo("io.pathswitch.PathswitchAgent");
      assertThat(manifest.getValue("Main-Class")).isEqualTo("io.pathswitch.cli.Main");
      assertThat(manifest.getValue("Can-Retransform-Classes")).isEqualTo("true");
    }
  }
}
