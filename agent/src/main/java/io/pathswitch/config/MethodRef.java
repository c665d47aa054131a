package io.pathswitch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A method named in the config: its class, its name and, where overloads exist, its parameter
 * types. Immutable.
 *
 * <p>Written {@code pkg.Class#method}, or {@code pkg.Class#method(long,java.lang.String)} to pick
 * one overload. Nested classes use the binary name ({@code pkg.Outer$Inner}); parameter types are
 * primitives or classes with their package, arrays written {@code int[]}, generics erased.
 *
 * @param className the binary name of the class, such as {@code com.example.Outer$Inner}
 * @param methodName the method's name
 * @param parameterTypes the parameter types when given (an empty list means no parameters); empty
 *     when any overload may match
 */
public record MethodRef(
    String className, String methodName, Optional<List<String>> parameterTypes) {

  static final String EXPECTED =
      "expected a method such as pkg.Class#method or pkg.Class#method(long,java.lang.String)";

  private static final Set<String> PRIMITIVES =
      Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

  /** Copies the parameter types so the reference stays immutable. */
  public MethodRef {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(methodName, "methodName");
    Objects.requireNonNull(parameterTypes, "parameterTypes");
    parameterTypes = parameterTypes.map(List::copyOf);
  }

  /**
   * Reads a method reference in its config form.
   *
   * @throws IllegalArgumentException when the text is not of that form; the message starts with
   *     what was expected and ends with what is wrong
   */
  public static MethodRef parse(String text) {
    String stripped = text.strip();
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    int hash = stripped.indexOf('#');
    if (hash < 0 || hash != stripped.lastIndexOf('#')) {
      throw invalid("write one '#' between the class and the method");
    }
    String className = stripped.substring(0, hash).strip();
    if (!isQualifiedName(className)) {
      throw invalid("'" + className + "' is not a class name");
    }
    String rest = stripped.substring(hash + 1).strip();
    int open = rest.indexOf('(');
    String methodName = (open < 0 ? rest : rest.substring(0, open)).strip();
    if (!isIdentifier(methodName)) {
      throw invalid("'" + methodName + "' is not a method name");
    }
    if (open < 0) {
      return new MethodRef(className, methodName, Optional.empty());
    }
    if (!rest.endsWith(")") || rest.indexOf(')') != rest.length() - 1) {
      throw invalid("the parameter types end with the one ')' that closes the text");
    }
    return new MethodRef(
        className,
        methodName,
        Optional.of(parameterTypes(rest.substring(open + 1, rest.length() - 1))));
  }

  /** The config form, which {@link #parse(String)} reads back to an equal reference. */
  @Override
  public String toString() {
    return className
        + "#"
        + methodName
        + parameterTypes.map(types -> "(" + String.join(",", types) + ")").orElse("");
  }

  private static List<String> parameterTypes(String list) {
    if (list.isBlank()) {
      return List.of();
    }
    List<String> types = new ArrayList<>();
    for (String written : list.split(",", -1)) {
      types.add(parameterType(written.strip()));
    }
    return types;
  }

  private static String parameterType(String written) {
    String element = written;
    int dimensions = 0;
    while (element.endsWith("[]")) {
      element = element.substring(0, element.length() - 2).strip();
      dimensions++;
    }
    if (!PRIMITIVES.contains(element) && !(isQualifiedName(element) && element.contains("."))) {
      throw invalid(
          "'"
              + written
              + "' is not a parameter type such as long, int[] or java.lang.String"
              + " (classes with their package, generics erased)");
    }
    return element + "[]".repeat(dimensions);
  }

  private static boolean isQualifiedName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (!isIdentifier(part)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
      return false;
    }
    // Identifier-ignorable code points (control characters) pass isJavaIdentifierPart, yet a
    // class name written with one in the config would never match the loaded class.
    return name.codePoints()
        .allMatch(c -> Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
  }

  private static IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException(EXPECTED + "; " + problem);
  }
}
