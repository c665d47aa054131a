package io.pathswitch.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Arrays;

/**
 * A test agent that reads loaded classes' bytecode back from the JVM, as the JVM runs it: it
 * retransforms each class with a transformer that only keeps the bytes it is given, and writes them
 * to {@code <folder>/<class name>.class}. Arguments: {@code <folder>|<class name>,<class name>...}.
 */
public final class ClassBytesAgent {

  private ClassBytesAgent() {}

  public static void agentmain(String arguments, Instrumentation instrumentation) throws Exception {
    String[] parts = arguments.split("\\|", 2);
    for (String className : parts[1].split(",")) {
      Files.write(Path.of(parts[0], className + ".class"), bytesOf(className, instrumentation));
    }
  }

  private static byte[] bytesOf(String className, Instrumentation instrumentation)
      throws Exception {
    Class<?> target =
        Arrays.stream(instrumentation.getAllLoadedClasses())
            .filter(type -> type.getName().equals(className))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(className + " is not loaded"));
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
    return captured[0];
  }
}
