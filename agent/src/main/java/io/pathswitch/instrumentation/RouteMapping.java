package io.pathswitch.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import java.util.List;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaConstant;

/**
 * Binds {@link SwitchAdvice.CurrentRoute} to the read of one binding's route: an {@code
 * invokedynamic} linked by {@link Routes#link}, which the JIT turns into a constant, or, in a class
 * file older than Java 7, a call of {@link Routes#get}.
 */
final class RouteMapping implements Advice.OffsetMapping {

  private static final TypeDescription ROUTES = TypeDescription.ForLoadedType.of(Routes.class);

  private final int binding;
  private final boolean dynamic;

  private RouteMapping(int binding, boolean dynamic) {
    this.binding = binding;
    this.dynamic = dynamic;
  }

  /** The read of {@code binding}'s route in {@code type}, whose class file version decides how. */
  static RouteMapping of(int binding, TypeDescription type) {
    ClassFileVersion version = type.getClassFileVersion();
    return new RouteMapping(
        binding, version != null && version.isAtLeast(ClassFileVersion.JAVA_V7));
  }

  @Override
  public Target resolve(
      TypeDescription instrumentedType,
      MethodDescription instrumentedMethod,
      Assigner assigner,
      Advice.ArgumentHandler argumentHandler,
      Sort sort) {
    StackManipulation read =
        dynamic
            ? MethodInvocation.invoke(method("link"))
                .dynamic(
                    "route",
                    TypeDescription.ForLoadedType.of(Route.class),
                    List.of(),
                    List.of(JavaConstant.Simple.ofLoaded(binding)))
            : new StackManipulation.Compound(
                IntegerConstant.forValue(binding), MethodInvocation.invoke(method("get")));
    return new Target.ForStackManipulation(read);
  }

  private static MethodDescription.InDefinedShape method(String name) {
    return ROUTES.getDeclaredMethods().filter(named(name)).getOnly();
  }
}
