package io.pathswitch.it;

import com.sun.tools.attach.VirtualMachine;
import io.pathswitch.it.apps.ClassBytesAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * A class's bytecode as a running JVM has it (through {@link ClassBytesAgent}) or as a jar holds
 * it, and its method bodies as text, to compare code without the constant pool's layout.
 */
final class ClassBytes {

  private ClassBytes() {}

  /** The bytes of each of {@code classNames} as the JVM {@code pid} runs them now, by name. */
  static Map<String, byte[]> inJvm(long pid, Path folder, String... classNames) throws Exception {
    Path jar = agentJar(folder);
    Path out = Files.createTempDirectory(folder, "classes-");
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      vm.loadAgent(jar.toString(), out + "|" + String.join(",", classNames));
    } finally {
      vm.detach();
    }
    Map<String, byte[]> classes = new TreeMap<>();
    for (String className : classNames) {
      classes.put(className, Files.readAllBytes(out.resolve(className + ".class")));
    }
    return classes;
  }

  /** The bytes of {@code className} in {@code jar}. */
  static byte[] inJar(Path jar, String className) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry(className.replace('.', '/') + ".class");
      try (InputStream in = file.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

  /** Each method, by name and descriptor, with its instructions, frames, lines and locals. */
  static Map<String, String> methodBodies(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    Map<String, String> bodies = new TreeMap<>();
    for (MethodNode method : node.methods) {
      Textifier text = new Textifier();
      method.accept(new TraceMethodVisitor(text));
      StringWriter body = new StringWriter();
      text.print(new PrintWriter(body));
      bodies.put(method.name + method.desc, body.toString());
    }
    return bodies;
  }

  private static Path agentJar(Path folder) throws IOException {
    Path jar = folder.resolve("class-bytes-agent.jar");
    if (Files.exists(jar)) {
      return jar;
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Agent-Class", ClassBytesAgent.class.getName());
    manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
    String resource = ClassBytesAgent.class.getName().replace('.', '/');
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (String name : new String[] {resource + ".class", resource + "$1.class"}) {
        out.putNextEntry(new ZipEntry(name));
        try (InputStream in = ClassBytes.class.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }
}
