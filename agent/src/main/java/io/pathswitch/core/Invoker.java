package io.pathswitch.core;

import io.pathswitch.config.MethodRef;
import io.pathswitch.instrumentation.TargetCheck.Shape;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls the unified method for one legacy class, and compares results for the shadow and live
 * modes. Resolved on the first unified call, through the legacy class's own loader, so a unified
 * class that fails to initialise fails that call (and falls back), never the class load.
 */
public final class Invoker {

  private static final MethodType SPREAD =
      MethodType.methodType(Object.class, Object.class, Object[].class);

  private final MethodHandle direct;
  private final MethodHandle call;
  private final MethodHandle comparator;
  private final String comparatorProblem;

  private Invoker(
      MethodHandle direct, MethodHandle call, MethodHandle comparator, String comparatorProblem) {
    this.direct = direct;
    this.call = call;
    this.comparator = comparator;
    this.comparatorProblem = comparatorProblem;
  }

  /** What the class-file check decided; everything needed to resolve, with no class held. */
  public record Plan(
      String unifiedClass,
      String unifiedMethod,
      List<String> unifiedParameters,
      Shape shape,
      int legacyArity,
      Optional<MethodRef> comparator) {}

  Object invoke(Object self, Object[] args) throws Throwable {
    return call.invokeExact(self, args);
  }

  /**
   * The unified method called with the legacy method's own types: {@code parameters} are the legacy
   * receiver, for an instance method, then the legacy parameters; the return type is the unified
   * method's own, {@code void} included. A receiver that the unified method does not take ({@link
   * Shape#STATIC}, {@link Shape#NEW_INSTANCE}) is dropped.
   */
  MethodHandle typed(List<Class<?>> parameters) {
    MethodHandle handle = direct;
    if (parameters.size() == handle.type().parameterCount() + 1) {
      handle = MethodHandles.dropArguments(handle, 0, parameters.get(0));
    }
    return handle.asType(MethodType.methodType(handle.type().returnType(), parameters));
  }

  /**
   * Whether two results are the same: by {@code compare.with}, or by {@link Objects#deepEquals}.
   * Never throws: a comparison that throws, in the comparator or in an {@code equals}, counts as a
   * difference.
   */
  boolean same(Object legacyResult, Object unifiedResult) {
    try {
      if (comparator == null) {
        return Objects.deepEquals(legacyResult, unifiedResult);
      }
      return (boolean) comparator.invokeExact(legacyResult, unifiedResult);
    } catch (Throwable e) {
      return false;
    }
  }

  /** Why {@code compare.with} cannot be used, or null when it can (or there is none). */
  String comparatorProblem() {
    return comparatorProblem;
  }

  static Invoker resolve(Plan plan, Class<?> legacyClass) {
    try {
      ClassLoader loader = legacyClass.getClassLoader();
      Class<?> unifiedClass = Class.forName(plan.unifiedClass(), true, loader);
      Method method = unifiedClass.getDeclaredMethod(plan.unifiedMethod(), types(plan, loader));
      method.setAccessible(true);
      MethodHandle direct = direct(MethodHandles.lookup().unreflect(method), plan, unifiedClass);
      MethodHandle comparator = null;
      String problem = null;
      if (plan.comparator().isPresent()) {
        // Resolved apart from the unified method: a comparator that cannot be used must not
        // fail the unified path itself, which divert mode never compares.
        try {
          comparator = comparator(plan.comparator().get(), loader);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          problem =
              "compare.with = '" + plan.comparator().get() + "' cannot be used: " + e.getMessage();
        }
      }
      return new Invoker(direct, spread(direct, plan), comparator, problem);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot resolve unified " + plan.unifiedClass() + "#" + plan.unifiedMethod() + ": " + e,
          e);
    }
  }

  /** The unified method with the receiver it takes: none for a static one, its own instance. */
  private static MethodHandle direct(MethodHandle handle, Plan plan, Class<?> unifiedClass)
      throws ReflectiveOperationException {
    if (plan.shape() != Shape.NEW_INSTANCE) {
      return handle;
    }
    Constructor<?> constructor = unifiedClass.getConstructor();
    return handle.bindTo(constructor.newInstance());
  }

  /** The unified method as {@code (self, args)}, the form a call with its arguments boxed takes. */
  private static MethodHandle spread(MethodHandle direct, Plan plan) {
    MethodHandle handle = direct;
    if (plan.shape() == Shape.STATIC || plan.shape() == Shape.NEW_INSTANCE) {
      handle = MethodHandles.dropArguments(handle, 0, Object.class);
    }
    MethodHandle spread = handle.asSpreader(Object[].class, plan.legacyArity());
    MethodType generic =
        MethodType.methodType(
            spread.type().returnType() == void.class ? void.class : Object.class,
            Object.class,
            Object[].class);
    MethodHandle typed = spread.asType(generic);
    if (typed.type().returnType() == void.class) {
      typed = MethodHandles.filterReturnValue(typed, MethodHandles.constant(Object.class, null));
    }
    return typed.asType(SPREAD);
  }

  private static Class<?>[] types(Plan plan, ClassLoader loader) throws ClassNotFoundException {
    Class<?>[] types = new Class<?>[plan.unifiedParameters().size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = type(plan.unifiedParameters().get(i), loader);
    }
    return types;
  }

  static Class<?> type(String name, ClassLoader loader) throws ClassNotFoundException {
    switch (name) {
      case "boolean":
        return boolean.class;
      case "byte":
        return byte.class;
      case "char":
        return char.class;
      case "short":
        return short.class;
      case "int":
        return int.class;
      case "long":
        return long.class;
      case "float":
        return float.class;
      case "double":
        return double.class;
      default:
        if (name.endsWith("[]")) {
          return type(name.substring(0, name.length() - 2), loader).arrayType();
        }
        return Class.forName(name, false, loader);
    }
  }

  private static MethodHandle comparator(MethodRef ref, ClassLoader loader)
      throws ReflectiveOperationException {
    Class<?> owner = Class.forName(ref.className(), true, loader);
    for (Method method : owner.getDeclaredMethods()) {
      if (method.getName().equals(ref.methodName())
          && Modifier.isStatic(method.getModifiers())
          && method.getParameterCount() == 2
          && method.getReturnType() == boolean.class) {
        method.setAccessible(true);
        return MethodHandles.lookup()
            .unreflect(method)
            .asType(MethodType.methodType(boolean.class, Object.class, Object.class));
      }
    }
    throw new NoSuchMethodException(
        "compare.with " + ref + ": no static boolean " + ref.methodName() + "(a, b) on " + owner);
  }
}
