package io.pathswitch.instrumentation;

import io.pathswitch.config.MethodRef;
import io.pathswitch.config.SwitchConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges whether a switch's legacy and unified methods exist and fit, from class files alone: the
 * agent uses it when the legacy class loads, and {@code pathswitch check} uses it on an
 * application's jars before anything touches a live JVM, so both judge alike. Nothing is loaded and
 * no static initialiser runs. Stateless and thread-safe.
 */
public final class TargetCheck {

  private static final List<String> JDK_PACKAGES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  private static final Set<String> PRIMITIVES =
      Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double", "void");

  /** Deeper than any real hierarchy; only a broken set of class files gets there. */
  private static final int MAX_ANCESTRY = 64;

  private TargetCheck() {}

  /** How the unified method is called in place of the legacy one. */
  public enum Shape {
    /** An instance method of the legacy class, called on the same receiver. */
    SAME_INSTANCE,
    /** A static method taking the legacy parameters. */
    STATIC,
    /** A static method taking the legacy receiver, then the legacy parameters. */
    STATIC_WITH_RECEIVER,
    /** An instance method of a class with a public no-argument constructor, made once. */
    NEW_INSTANCE
  }

  /** A switch whose methods fit: what to instrument and what to call. */
  public record Fit(MethodFile legacy, ClassFile unifiedType, MethodFile unified, Shape shape) {}

  /**
   * The verdict: a fit, or the reason there is none and the key at fault ({@code legacy} or {@code
   * unified}).
   */
  public record Verdict(Optional<Fit> fit, String reason, String key) {

    static Verdict fits(Fit fit) {
      return new Verdict(Optional.of(fit), "fits", "");
    }

    static Verdict refused(String key, String reason) {
      return new Verdict(Optional.empty(), reason, key);
    }
  }

  /** Whether {@code className} belongs to the JDK, whose methods are never switched. */
  public static boolean isJdkClass(String className) {
    return JDK_PACKAGES.stream().anyMatch(className::startsWith);
  }

  /** Judges {@code config} against the legacy type and the classes {@code types} can see. */
  public static Verdict judge(SwitchConfig config, ClassFile legacyType, TypeSource types) {
    if (isJdkClass(legacyType.name())) {
      return Verdict.refused(
          "legacy",
          legacyType.name() + " belongs to the JDK, whose methods pathswitch never switches");
    }
    MethodRef legacyRef = config.legacy();
    String legacyFailure = null;
    MethodFile legacy = null;
    try {
      legacy = find(legacyRef, legacyType, "switch." + config.name() + ".legacy");
    } catch (NotFound e) {
      legacyFailure = e.getMessage();
    }
    if (legacyFailure != null) {
      return Verdict.refused("legacy", legacyFailure);
    }
    Optional<ClassFile> unifiedType = types.find(config.unified().className());
    if (unifiedType.isEmpty()) {
      return Verdict.refused(
          "unified",
          "unified class "
              + config.unified().className()
              + " is not visible from the class loader of "
              + legacyType.name());
    }
    return fitUnified(config, legacy, legacyType, unifiedType.get(), types);
  }

  /** Finds {@code ref} on {@code type}, or explains why it cannot. */
  public static MethodFile find(MethodRef ref, ClassFile type, String key) throws NotFound {
    List<MethodFile> named = methodsNamed(ref.methodName(), type);
    if (ref.parameterTypes().isPresent()) {
      List<String> wanted = ref.parameterTypes().get();
      named =
          named.stream()
              .filter(method -> parameterNames(method).equals(wanted))
              .collect(Collectors.toList());
    }
    if (named.isEmpty()) {
      throw new NotFound(
          "no method "
              + ref.methodName()
              + ref.parameterTypes().map(p -> "(" + String.join(",", p) + ")").orElse("")
              + " on "
              + type.name()
              + nearest(ref.methodName(), type));
    }
    if (named.size() > 1) {
      throw new NotFound(
          ref.methodName()
              + " is overloaded on "
              + type.name()
              + ": "
              + named.stream().map(TargetCheck::signature).collect(Collectors.joining(", "))
              + "; give the parameter list in "
              + key
              + ", e.g. "
              + type.name()
              + "#"
              + signature(named.get(0)));
    }
    MethodFile method = named.get(0);
    if (method.isAbstract() || method.isNative()) {
      throw new NotFound(signature(method) + " on " + type.name() + " has no body to switch");
    }
    return method;
  }

  /** The methods {@code type} declares by that name, constructors and type initialiser aside. */
  private static List<MethodFile> methodsNamed(String name, ClassFile type) {
    return type.methods().stream()
        .filter(method -> method.isMethod() && method.name().equals(name))
        .collect(Collectors.toList());
  }

  private static Verdict fitUnified(
      SwitchConfig config,
      MethodFile legacy,
      ClassFile legacyType,
      ClassFile unifiedType,
      TypeSource types) {
    List<MethodFile> candidates;
    try {
      candidates =
          config.unified().parameterTypes().isPresent()
              ? List.of(find(config.unified(), unifiedType, "switch." + config.name() + ".unified"))
              : methodsNamed(config.unified().methodName(), unifiedType);
    } catch (NotFound e) {
      return Verdict.refused("unified", e.getMessage());
    }
    if (candidates.isEmpty()) {
      return Verdict.refused(
          "unified",
          "no method "
              + config.unified().methodName()
              + " on "
              + unifiedType.name()
              + nearest(config.unified().methodName(), unifiedType));
    }
    StringBuilder misfits = new StringBuilder();
    for (MethodFile candidate : candidates) {
      Optional<Shape> shape = shapeOf(legacy, legacyType, unifiedType, candidate, types);
      String returnProblem = returnProblem(legacy, candidate, types);
      if (shape.isPresent() && returnProblem == null) {
        return Verdict.fits(new Fit(legacy, unifiedType, candidate, shape.get()));
      }
      misfits.append(misfits.length() == 0 ? "" : "; ");
      misfits.append(unifiedType.name()).append('#').append(signature(candidate)).append(' ');
      misfits.append(returnProblem != null ? returnProblem : shapeProblem(legacy, candidate));
    }
    return Verdict.refused(
        "unified",
        "unified "
            + config.unified()
            + " does not fit legacy "
            + legacyType.name()
            + "#"
            + signature(legacy)
            + ": "
            + misfits);
  }

  private static Optional<Shape> shapeOf(
      MethodFile legacy,
      ClassFile legacyType,
      ClassFile unifiedType,
      MethodFile candidate,
      TypeSource types) {
    List<String> legacyParameters = parameterNames(legacy);
    List<String> parameters = parameterNames(candidate);
    if (candidate.isAbstract()) {
      return Optional.empty();
    }
    if (candidate.isStatic()) {
      if (parameters.equals(legacyParameters)) {
        return Optional.of(Shape.STATIC);
      }
      boolean takesReceiver =
          !legacy.isStatic()
              && parameters.size() == legacyParameters.size() + 1
              && parameters.subList(1, parameters.size()).equals(legacyParameters)
              && isAssignable(legacyType.name(), parameters.get(0), types);
      return takesReceiver ? Optional.of(Shape.STATIC_WITH_RECEIVER) : Optional.empty();
    }
    if (!parameters.equals(legacyParameters)) {
      return Optional.empty();
    }
    if (unifiedType.name().equals(legacyType.name())) {
      return legacy.isStatic() ? Optional.empty() : Optional.of(Shape.SAME_INSTANCE);
    }
    boolean constructible =
        !unifiedType.isAbstract()
            && !unifiedType.isInterface()
            && unifiedType.methods().stream()
                .anyMatch(
                    method ->
                        method.isConstructor()
                            && method.parameterCount() == 0
                            && method.isPublic());
    return constructible ? Optional.of(Shape.NEW_INSTANCE) : Optional.empty();
  }

  private static String shapeProblem(MethodFile legacy, MethodFile candidate) {
    if (candidate.isStatic()) {
      return "takes ("
          + String.join(",", parameterNames(candidate))
          + "), expected ("
          + String.join(",", parameterNames(legacy))
          + ")"
          + (legacy.isStatic() ? "" : " optionally preceded by the legacy receiver");
    }
    if (!parameterNames(candidate).equals(parameterNames(legacy))) {
      return "takes ("
          + String.join(",", parameterNames(candidate))
          + "), expected ("
          + String.join(",", parameterNames(legacy))
          + ")";
    }
    return "is an instance method of a class that is neither the legacy class nor one with a public"
        + " no-argument constructor";
  }

  private static String returnProblem(MethodFile legacy, MethodFile candidate, TypeSource types) {
    if (legacy.returnsVoid()) {
      return null;
    }
    String wanted = legacy.returnTypeName();
    String given = candidate.returnTypeName();
    return isAssignable(given, wanted, types)
        ? null
        : "returns " + given + ", legacy returns " + wanted;
  }

  /**
   * Whether a value of type {@code from} can be used where {@code to} is expected, both Java names
   * ({@code int}, {@code a.B$C}, {@code java.lang.String[]}), as the JVM judges a reference's
   * widening: a primitive only to itself, any reference to {@code java.lang.Object}, arrays by
   * their components and to {@code Cloneable} and {@code Serializable}, a class through its super
   * classes and interfaces as {@code types} has them. An ancestor {@code types} cannot find leads
   * nowhere; a class file that names itself among its ancestors ends the walk.
   */
  public static boolean isAssignable(String from, String to, TypeSource types) {
    if (from.equals(to)) {
      return true;
    }
    if (PRIMITIVES.contains(from) || PRIMITIVES.contains(to)) {
      return false;
    }
    if (to.equals("java.lang.Object")) {
      return true;
    }
    if (from.endsWith("[]")) {
      return to.endsWith("[]")
          ? isAssignable(component(from), component(to), types)
          : to.equals("java.lang.Cloneable") || to.equals("java.io.Serializable");
    }
    return !to.endsWith("[]") && inherits(from, to, types);
  }

  private static String component(String arrayName) {
    return arrayName.substring(0, arrayName.length() - 2);
  }

  /** Walks the ancestors of {@code from} level by level, each type once, at most 64 levels. */
  private static boolean inherits(String from, String to, TypeSource types) {
    Set<String> seen = new HashSet<>();
    List<String> level = List.of(from);
    for (int depth = 0; depth < MAX_ANCESTRY && !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String name : level) {
        if (seen.add(name)) {
          types
              .find(name)
              .ifPresent(
                  type -> {
                    type.superName().ifPresent(next::add);
                    next.addAll(type.interfaces());
                  });
        }
      }
      if (next.contains(to)) {
        return true;
      }
      level = next;
    }
    return false;
  }

  static List<String> parameterNames(MethodFile method) {
    return method.parameterTypeNames();
  }

  /** {@code name(type,type)}, the form the configuration takes. */
  public static String signature(MethodFile method) {
    return method.name() + "(" + String.join(",", parameterNames(method)) + ")";
  }

  private static String nearest(String name, ClassFile type) {
    List<String> names =
        type.methods().stream()
            .filter(MethodFile::isMethod)
            .map(MethodFile::name)
            .distinct()
            .sorted(Comparator.comparingInt(candidate -> distance(name, candidate)))
            .limit(3)
            .collect(Collectors.toList());
    return names.isEmpty() ? " (it declares no methods)" : "; nearest: " + String.join(", ", names);
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** A method that is missing, ambiguous or has no body; the message says which. */
  public static final class NotFound extends Exception {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
