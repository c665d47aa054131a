package io.pathswitch.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Arrays;

/**
 * A test agent that reads a loaded class's bytecode back from the JVM, as the JVM runs it: it
 * retransforms the class with a transformer that only keeps the bytes it is given, and writes them
 * to a file. Arguments: {@code <class name>|<file>}.
 */
public final class ClassBytesAgent {

  private ClassBytesAgent() {}

  public static void agentmain(String arguments, Instrumentation instrumentation) throws Exception {
    String[] parts = arguments.split("\\|", 2);
    Class<?> target =
        Arrays.stream(instrumentation.getAllLoadedClasses())
            .filter(type -> type.getName().equals(parts[0]))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(parts[0] + " is not loaded"));
    byte[][] captured = new byte[1][];
    ClassFileTransformer capture =
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              ClassLoader loader,
              String name,
              Class<?> redefined,
              ProtectionDomain domain,
              byte[] bytes) {
            if (redefined == target) {
              captured[0] = bytes.clone();
            }
            return null;
          }
        };
    instrumentation.addTransformer(capture, true);
    try {
      instrumentation.retransformClasses(target);
    } finally {
      instrumentation.removeTransformer(capture);
    }
    Files.write(Path.of(parts[1]), captured[0]);
  }
}
