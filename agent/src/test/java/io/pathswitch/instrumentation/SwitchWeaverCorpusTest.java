package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.bootstrap.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * {@link SwitchWeaver} on real bytecode rather than hand-made classes: each method of the H2 and
 * HikariCP jars on the test class path and of the JDK's {@code java.util}, woven on its own, must
 * give a method ASM's verifier accepts or be refused with a reason. ASM's verifier infers types and
 * ignores stack map frames, which the weaver rewrites; so for a fixed sample of H2 methods the
 * JVM's own verifier, which checks the frames, must accept the woven class too.
 */
class SwitchWeaverCorpusTest {

  private static final int BINDING = Routes.CAPACITY - 5;

  /** How many woven H2 classes the JVM links; {@code -Dpathswitch.corpus.linked=N} for more. */
  private static final int LINKED = Integer.getInteger("pathswitch.corpus.linked", 200);

  private static final String MISSING = "a class is missing: ";

  /**
   * Jars to link woven classes of instead of H2's, for a look at other compilers' code: {@code
   * -Dpathswitch.corpus.linkedJars=a.jar:b.jar}. Their classes load from the jars; what they need
   * beyond them, from the test class path.
   */
  private static final String LINKED_JARS = System.getProperty("pathswitch.corpus.linkedJars");

  private static final ClassLoader TEST_LOADER = SwitchWeaverCorpusTest.class.getClassLoader();

  @Test
  void eachMethodIsWovenIntoCodeAsmVerifiesOrRefusedWithAReason() {
    long start = System.nanoTime();
    Tally tally = new Tally();

    for (Map.Entry<String, byte[]> type : corpus().entrySet()) {
      weaveEachMethod(type.getValue(), tally);
    }

    System.out.printf(
        "SwitchWeaver corpus: %d classes, %d methods, %d weaves: woven %d (%d with a key),"
            + " refused %d %s, woven but not verifiable here (a class is missing) %d,"
            + " woven where ASM's verifier rejects the original too %d, failures %d, in %d ms%n",
        tally.classes,
        tally.methods,
        tally.weaves,
        tally.woven,
        tally.wovenWithKey,
        tally.refusedCount(),
        tally.refused,
        tally.unverifiable,
        tally.originalRejected,
        tally.failures.size(),
        (System.nanoTime() - start) / 1_000_000);
    tally.failures.stream().limit(50).forEach(System.out::println);
    assertThat(tally.failures.size()).as("failures, the first 50 printed").isZero();
    assertThat(tally.woven).isGreaterThan(20_000);
  }

  @Test
  void theJvmVerifiesASampleOfWovenH2Classes() {
    long start = System.nanoTime();
    Map<String, byte[]> classes =
        LINKED_JARS == null ? jar(org.h2.Driver.class) : jars(LINKED_JARS);
    List<Candidate> candidates = candidates(classes);
    int stride = Math.max(1, candidates.size() / (2 * LINKED));
    Map<String, Optional<String>> originals = new HashMap<>();
    List<String> failures = new ArrayList<>();
    Tally refused = new Tally();
    int linked = 0;
    int unlinkable = 0;

    for (int i = 0; i < candidates.size() && linked + failures.size() < LINKED; i += stride) {
      Candidate candidate = candidates.get(i);
      // Every other method with a parameter takes its first as the key.
      int key = i % 2 == 1 && !candidate.descriptor().startsWith("()") ? 0 : -1;
      byte[] woven;
      try {
        woven = SwitchWeaver.weave(classes.get(candidate.owner()), List.of(candidate.target(key)));
      } catch (SwitchWeaver.Refused e) {
        refused.refuse(e.getMessage(), candidate.name());
        continue;
      }
      Optional<String> original =
          originals.computeIfAbsent(
              candidate.owner(),
              owner -> Optional.ofNullable(link(classes, owner, classes.get(owner))));
      if (original.isPresent()) {
        unlinkable++;
        continue;
      }
      String problem = link(classes, candidate.owner(), woven);
      if (problem == null) {
        linked++;
      } else {
        failures.add(candidate + " key " + key + ": " + problem);
      }
    }

    System.out.printf(
        "SwitchWeaver corpus, linked by the JVM: %d woven classes of %s (%d methods), %d failures,"
            + " refused %d %s, %d skipped as the original does not link here, in %d ms%n",
        linked,
        LINKED_JARS == null ? "H2" : LINKED_JARS,
        candidates.size(),
        failures.size(),
        refused.refusedCount(),
        refused.refused,
        unlinkable,
        (System.nanoTime() - start) / 1_000_000);
    failures.stream().limit(50).forEach(System.out::println);
    assertThat(failures.size()).as("failures, the first 50 printed").isZero();
    assertThat(linked)
        .isGreaterThanOrEqualTo(Math.min(LINKED, (candidates.size() - unlinkable) / 2));
  }

  @Test
  void linkingAClassInTheJarFirstLoaderRunsTheJvmsVerifier() {
    ClassWriter cw = new ClassWriter(0);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "org/h2/Broken", null, "java/lang/Object", null);
    MethodVisitor m =
        cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "broken", "()I", null, null);
    m.visitCode();
    m.visitInsn(Opcodes.ACONST_NULL);
    m.visitInsn(Opcodes.IRETURN);
    m.visitMaxs(1, 0);
    m.visitEnd();
    cw.visitEnd();

    String problem = link(Map.of(), "org/h2/Broken", cw.toByteArray());

    assertThat(problem).startsWith("java.lang.VerifyError");
  }

  // --- weaving and ASM's verifier ---

  private static void weaveEachMethod(byte[] bytes, Tally tally) {
    ClassNode header = new ClassNode();
    new ClassReader(bytes).accept(header, ClassReader.SKIP_CODE);
    tally.classes++;
    for (MethodNode method : header.methods) {
      if (!weavable(method)) {
        continue;
      }
      tally.methods++;
      Candidate candidate = new Candidate(header.name, method.name, method.desc);
      // Without a key, and with the first parameter as the key when there is one.
      int[] keys = method.desc.startsWith("()") ? new int[] {-1} : new int[] {-1, 0};
      for (int key : keys) {
        tally.weaves++;
        byte[] woven;
        try {
          woven = SwitchWeaver.weave(bytes, List.of(candidate.target(key)));
        } catch (SwitchWeaver.Refused e) {
          tally.refuse(e.getMessage(), method.name);
          continue;
        } catch (RuntimeException e) {
          tally.failures.add(candidate + " key " + key + ": threw " + e);
          continue;
        }
        String problem = verify(header, woven, candidate);
        if (problem == null) {
          tally.woven++;
          tally.wovenWithKey += key >= 0 ? 1 : 0;
          continue;
        }
        if (problem.startsWith(MISSING)) {
          tally.unverifiable++;
          continue;
        }
        // Rare, so the original is checked each time rather than kept.
        if (verify(header, bytes, candidate) == null) {
          tally.failures.add(candidate + " key " + key + ": " + problem);
        } else {
          tally.originalRejected++;
        }
      }
    }
  }

  private static boolean weavable(MethodNode method) {
    return (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
        && !method.name.startsWith("<");
  }

  /** What ASM's verifier finds wrong with the method in {@code classFile}, or null. */
  private static String verify(ClassNode header, byte[] classFile, Candidate candidate) {
    MethodNode method = method(classFile, candidate);
    List<Type> interfaces = header.interfaces.stream().map(Type::getObjectType).toList();
    SimpleVerifier verifier =
        new SimpleVerifier(
            Type.getObjectType(header.name),
            header.superName == null ? null : Type.getObjectType(header.superName),
            interfaces,
            (header.access & Opcodes.ACC_INTERFACE) != 0);
    verifier.setClassLoader(TEST_LOADER);
    try {
      new Analyzer<>(verifier).analyze(header.name, method);
      return null;
    } catch (AnalyzerException | RuntimeException | LinkageError e) {
      return missesAClass(e) ? MISSING + e : e.toString();
    }
  }

  /**
   * Whether ASM's verifier failed for want of a class the test class path lacks (an optional
   * dependency of the jar, such as Lucene or the servlet API). The verifier loads the classes it
   * compares; the woven method compares more than the original, as it passes the result on as an
   * {@code Object}, so the original may pass where the woven method cannot be checked here.
   */
  private static boolean missesAClass(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TypeNotPresentException || cause instanceof LinkageError) {
        return true;
      }
    }
    return false;
  }

  private static MethodNode method(byte[] classFile, Candidate candidate) {
    MethodNode[] found = new MethodNode[1];
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access,
                  String name,
                  String descriptor,
                  String signature,
                  String[] exceptions) {
                if (!name.equals(candidate.name()) || !descriptor.equals(candidate.descriptor())) {
                  return null;
                }
                found[0] = new MethodNode(access, name, descriptor, signature, exceptions);
                return found[0];
              }
            },
            ClassReader.SKIP_DEBUG);
    return found[0];
  }

  // --- linking by the JVM ---

  private static List<Candidate> candidates(Map<String, byte[]> classes) {
    List<Candidate> candidates = new ArrayList<>();
    for (byte[] bytes : classes.values()) {
      ClassNode header = new ClassNode();
      new ClassReader(bytes).accept(header, ClassReader.SKIP_CODE);
      for (MethodNode method : header.methods) {
        if (weavable(method)) {
          candidates.add(new Candidate(header.name, method.name, method.desc));
        }
      }
    }
    return candidates;
  }

  /**
   * Defines {@code bytes} as the class {@code name} in a loader of its own, with the rest of the
   * jar's classes, and links it; what went wrong, or null. Linking verifies the class without
   * running its static initialiser; {@code getDeclaredConstructors} links the class it reflects on.
   * The jar's classes come from the same loader so that the woven class keeps its runtime package:
   * package-private supers and protected access stay as they are in the jar.
   */
  private static String link(Map<String, byte[]> classes, String name, byte[] bytes) {
    ClassLoader loader = new JarFirst(classes, name, bytes);
    try {
      Class.forName(name.replace('/', '.'), false, loader).getDeclaredConstructors();
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return e.toString();
    }
  }

  /** Loads the jar's classes itself, one of them woven, and the rest from the test loader. */
  private static final class JarFirst extends ClassLoader {

    private final Map<String, byte[]> classes;
    private final String woven;
    private final byte[] wovenBytes;

    JarFirst(Map<String, byte[]> classes, String woven, byte[] wovenBytes) {
      super(TEST_LOADER);
      this.classes = classes;
      this.woven = woven;
      this.wovenBytes = wovenBytes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      String internal = name.replace('.', '/');
      byte[] bytes = internal.equals(woven) ? wovenBytes : classes.get(internal);
      if (bytes == null) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
      }
    }
  }

  // --- the corpus ---

  /** Class files by internal name, in name order: H2, HikariCP, then the JDK's java.util. */
  private static Map<String, byte[]> corpus() {
    Map<String, byte[]> classes = new TreeMap<>();
    classes.putAll(jar(org.h2.Driver.class));
    classes.putAll(jar(com.zaxxer.hikari.HikariDataSource.class));
    classes.putAll(javaUtil());
    return classes;
  }

  /** The class files of the jar {@code member} was loaded from, by internal name, in order. */
  private static Map<String, byte[]> jar(Class<?> member) {
    try {
      return jar(Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, byte[]> jars(String paths) {
    Map<String, byte[]> classes = new TreeMap<>();
    for (String path : paths.split(java.io.File.pathSeparator)) {
      classes.putAll(jar(Path.of(path)));
    }
    return classes;
  }

  private static Map<String, byte[]> jar(Path path) {
    Map<String, byte[]> classes = new TreeMap<>();
    try (JarFile jar = new JarFile(path.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        // Multi-release variants and module descriptors are left out: one version of each class.
        if (name.endsWith(".class")
            && !name.startsWith("META-INF/")
            && !name.endsWith("module-info.class")) {
          try (var in = jar.getInputStream(entry)) {
            classes.put(name.substring(0, name.length() - ".class".length()), in.readAllBytes());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return classes;
  }

  /** The class files of the JDK's {@code java.util} package (not its subpackages). */
  private static Map<String, byte[]> javaUtil() {
    Map<String, byte[]> classes = new TreeMap<>();
    Path util =
        FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base/java/util");
    try (Stream<Path> files = Files.list(util)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = file.getFileName().toString();
        classes.put(
            "java/util/" + name.substring(0, name.length() - ".class".length()),
            Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return classes;
  }

  /** One method of the corpus. */
  private record Candidate(String owner, String name, String descriptor) {

    SwitchWeaver.Target target(int key) {
      return new SwitchWeaver.Target(name, descriptor, BINDING, key);
    }

    @Override
    public String toString() {
      return owner + "#" + name + descriptor;
    }
  }

  /** What weaving the corpus came to. */
  private static final class Tally {

    int classes;
    int methods;
    int weaves;
    int woven;
    int wovenWithKey;
    int unverifiable;
    int originalRejected;
    final Map<String, Integer> refused = new TreeMap<>();
    final List<String> failures = new ArrayList<>();

    /** Counts a refusal by its reason, without the method's name and slot numbers. */
    void refuse(String message, String method) {
      String reason =
          message.startsWith(method + " ") ? message.substring(method.length() + 1) : message;
      int detail = reason.indexOf(": ");
      if (detail >= 0) {
        reason = reason.substring(0, detail);
      }
      refused.merge(reason.replaceAll("\\(\\d+\\)", "(n)"), 1, Integer::sum);
    }

    int refusedCount() {
      return refused.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
