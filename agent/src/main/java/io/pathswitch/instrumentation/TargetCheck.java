package io.pathswitch.instrumentation;

import io.pathswitch.config.MethodRef;
import io.pathswitch.config.SwitchConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * Judges whether a switch's legacy and unified methods exist and fit, from class files alone: the
 * agent uses it when the legacy class loads, and {@code pathswitch check} uses it on an
 * application's jars before anything touches a live JVM, so both judge alike. Nothing is loaded and
 * no static initialiser runs. Stateless and thread-safe.
 */
public final class TargetCheck {

  private static final List<String> JDK_PACKAGES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

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
  public record Fit(
      MethodDescription.InDefinedShape legacy,
      TypeDescription unifiedType,
      MethodDescription.InDefinedShape unified,
      Shape shape) {}

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

  /** Judges {@code config} against the legacy type and the classes {@code pool} can see. */
  public static Verdict judge(SwitchConfig config, TypeDescription legacyType, TypePool pool) {
    if (isJdkClass(legacyType.getName())) {
      return Verdict.refused(
          "legacy",
          legacyType.getName() + " belongs to the JDK, whose methods pathswitch never switches");
    }
    MethodRef legacyRef = config.legacy();
    String legacyFailure = null;
    MethodDescription.InDefinedShape legacy = null;
    try {
      legacy = find(legacyRef, legacyType, "switch." + config.name() + ".legacy");
    } catch (NotFound e) {
      legacyFailure = e.getMessage();
    }
    if (legacyFailure != null) {
      return Verdict.refused("legacy", legacyFailure);
    }
    TypePool.Resolution resolution = pool.describe(config.unified().className());
    if (!resolution.isResolved()) {
      return Verdict.refused(
          "unified",
          "unified class "
              + config.unified().className()
              + " is not visible from the class loader of "
              + legacyType.getName());
    }
    return fitUnified(config, legacy, legacyType, resolution.resolve());
  }

  /** Finds {@code ref} on {@code type}, or explains why it cannot. */
  public static MethodDescription.InDefinedShape find(
      MethodRef ref, TypeDescription type, String key) throws NotFound {
    MethodList<MethodDescription.InDefinedShape> named =
        type.getDeclaredMethods()
            .filter(ElementMatchers.named(ref.methodName()).and(ElementMatchers.isMethod()));
    if (ref.parameterTypes().isPresent()) {
      List<String> wanted = ref.parameterTypes().get();
      named = named.filter(method -> parameterNames(method).equals(wanted));
    }
    if (named.isEmpty()) {
      throw new NotFound(
          "no method "
              + ref.methodName()
              + ref.parameterTypes().map(p -> "(" + String.join(",", p) + ")").orElse("")
              + " on "
              + type.getName()
              + nearest(ref.methodName(), type));
    }
    if (named.size() > 1) {
      throw new NotFound(
          ref.methodName()
              + " is overloaded on "
              + type.getName()
              + ": "
              + named.stream().map(TargetCheck::signature).collect(Collectors.joining(", "))
              + "; give the parameter list in "
              + key
              + ", e.g. "
              + type.getName()
              + "#"
              + signature(named.get(0)));
    }
    MethodDescription.InDefinedShape method = named.getOnly();
    if (method.isAbstract() || method.isNative()) {
      throw new NotFound(signature(method) + " on " + type.getName() + " has no body to switch");
    }
    return method;
  }

  private static Verdict fitUnified(
      SwitchConfig config,
      MethodDescription.InDefinedShape legacy,
      TypeDescription legacyType,
      TypeDescription unifiedType) {
    MethodList<MethodDescription.InDefinedShape> candidates;
    try {
      candidates =
          config.unified().parameterTypes().isPresent()
              ? new MethodList.Explicit<>(
                  find(config.unified(), unifiedType, "switch." + config.name() + ".unified"))
              : unifiedType
                  .getDeclaredMethods()
                  .filter(
                      ElementMatchers.named(config.unified().methodName())
                          .and(ElementMatchers.isMethod()));
    } catch (NotFound e) {
      return Verdict.refused("unified", e.getMessage());
    }
    if (candidates.isEmpty()) {
      return Verdict.refused(
          "unified",
          "no method "
              + config.unified().methodName()
              + " on "
              + unifiedType.getName()
              + nearest(config.unified().methodName(), unifiedType));
    }
    StringBuilder misfits = new StringBuilder();
    for (MethodDescription.InDefinedShape candidate : candidates) {
      Optional<Shape> shape = shapeOf(legacy, legacyType, unifiedType, candidate);
      String returnProblem = returnProblem(legacy, candidate);
      if (shape.isPresent() && returnProblem == null) {
        return Verdict.fits(new Fit(legacy, unifiedType, candidate, shape.get()));
      }
      misfits.append(misfits.length() == 0 ? "" : "; ");
      misfits.append(unifiedType.getName()).append('#').append(signature(candidate)).append(' ');
      misfits.append(returnProblem != null ? returnProblem : shapeProblem(legacy, candidate));
    }
    return Verdict.refused(
        "unified",
        "unified "
            + config.unified()
            + " does not fit legacy "
            + legacyType.getName()
            + "#"
            + signature(legacy)
            + ": "
            + misfits);
  }

  private static Optional<Shape> shapeOf(
      MethodDescription legacy,
      TypeDescription legacyType,
      TypeDescription unifiedType,
      MethodDescription candidate) {
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
              && legacyType.isAssignableTo(candidate.getParameters().get(0).getType().asErasure());
      return takesReceiver ? Optional.of(Shape.STATIC_WITH_RECEIVER) : Optional.empty();
    }
    if (!parameters.equals(legacyParameters)) {
      return Optional.empty();
    }
    if (unifiedType.equals(legacyType)) {
      return legacy.isStatic() ? Optional.empty() : Optional.of(Shape.SAME_INSTANCE);
    }
    boolean constructible =
        !unifiedType.isAbstract()
            && !unifiedType.isInterface()
            && !unifiedType
                .getDeclaredMethods()
                .filter(
                    ElementMatchers.isConstructor()
                        .and(ElementMatchers.takesArguments(0))
                        .and(ElementMatchers.isPublic()))
                .isEmpty();
    return constructible ? Optional.of(Shape.NEW_INSTANCE) : Optional.empty();
  }

  private static String shapeProblem(MethodDescription legacy, MethodDescription candidate) {
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

  private static String returnProblem(MethodDescription legacy, MethodDescription candidate) {
    TypeDescription wanted = legacy.getReturnType().asErasure();
    TypeDescription given = candidate.getReturnType().asErasure();
    if (wanted.represents(void.class)) {
      return null;
    }
    boolean fits =
        wanted.isPrimitive() || given.isPrimitive()
            ? wanted.equals(given)
            : given.isAssignableTo(wanted);
    return fits
        ? null
        : "returns " + given.getActualName() + ", legacy returns " + wanted.getActualName();
  }

  static List<String> parameterNames(MethodDescription method) {
    return method.getParameters().asTypeList().asErasures().stream()
        .map(TypeDescription::getActualName)
        .collect(Collectors.toList());
  }

  /** {@code name(type,type)}, the form the configuration takes. */
  public static String signature(MethodDescription method) {
    return method.getName() + "(" + String.join(",", parameterNames(method)) + ")";
  }

  private static String nearest(String name, TypeDescription type) {
    List<String> names =
        type.getDeclaredMethods().filter(ElementMatchers.isMethod()).stream()
            .map(MethodDescription::getName)
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
