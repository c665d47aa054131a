package io.pathswitch.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.collection.ArrayFactory;
import net.bytebuddy.implementation.bytecode.constant.ClassConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;

/**
 * Binds {@link SwitchAdvice.UnifiedRun} to the run of the unified path for a call its route
 * diverted: an {@code invokedynamic} linked by {@link Routes#unified} that takes the route, the
 * receiver (for an instance method) and each argument with its own type, so that once compiled
 * nothing is boxed; or, in a class file older than Java 7, a call of {@link Route#unified(Class,
 * Object, Object[])} with the arguments boxed into an array (also for a method whose parameters
 * fill the 255 slots an {@code invokedynamic} can take, the route's slot included).
 *
 * <p>The route is the advice's local variable {@value #ROUTE}: the one that decided the call.
 */
final class UnifiedMapping implements Advice.OffsetMapping {

  /** The name of the advice's local variable that holds the route. */
  static final String ROUTE = "route";

  private static final TypeDescription ROUTE_TYPE = TypeDescription.ForLoadedType.of(Route.class);

  private final boolean dynamic;

  private UnifiedMapping(boolean dynamic) {
    this.dynamic = dynamic;
  }

  /** The run of the unified path in {@code type}, whose class file version decides how. */
  static UnifiedMapping of(TypeDescription type) {
    ClassFileVersion version = type.getClassFileVersion();
    return new UnifiedMapping(version != null && version.isAtLeast(ClassFileVersion.JAVA_V7));
  }

  @Override
  public Target resolve(
      TypeDescription instrumentedType,
      MethodDescription instrumentedMethod,
      Assigner assigner,
      Advice.ArgumentHandler argumentHandler,
      Sort sort) {
    StackManipulation route = MethodVariableAccess.REFERENCE.loadFrom(argumentHandler.named(ROUTE));
    StackManipulation receiver =
        instrumentedMethod.isStatic()
            ? null
            : MethodVariableAccess.REFERENCE.loadFrom(
                argumentHandler.argument(Advice.ArgumentHandler.THIS_REFERENCE));
    List<StackManipulation> arguments = new ArrayList<>();
    for (ParameterDescription parameter : instrumentedMethod.getParameters()) {
      arguments.add(
          MethodVariableAccess.of(parameter.getType())
              .loadFrom(argumentHandler.argument(parameter.getOffset())));
    }
    // An invokedynamic takes at most 255 slots of arguments: the route's and the method's own.
    boolean typed = dynamic && instrumentedMethod.getStackSize() < 255;
    StackManipulation run =
        typed
            ? typed(instrumentedType, instrumentedMethod, route, receiver, arguments)
            : throughArray(
                instrumentedType, instrumentedMethod, assigner, route, receiver, arguments);
    return new Target.ForStackManipulation(run);
  }

  private static StackManipulation typed(
      TypeDescription instrumentedType,
      MethodDescription instrumentedMethod,
      StackManipulation route,
      StackManipulation receiver,
      List<StackManipulation> arguments) {
    List<TypeDescription> types = new ArrayList<>();
    types.add(ROUTE_TYPE);
    if (receiver != null) {
      types.add(instrumentedType);
    }
    types.addAll(instrumentedMethod.getParameters().asTypeList().asErasures());
    MethodDescription.InDefinedShape bootstrap =
        TypeDescription.ForLoadedType.of(Routes.class)
            .getDeclaredMethods()
            .filter(named("unified"))
            .getOnly();
    return new StackManipulation.Compound(
        route,
        receiver == null ? StackManipulation.Trivial.INSTANCE : receiver,
        new StackManipulation.Compound(arguments),
        MethodInvocation.invoke(bootstrap)
            .dynamic("unified", TypeDescription.ForLoadedType.of(Object.class), types, List.of()));
  }

  private static StackManipulation throughArray(
      TypeDescription instrumentedType,
      MethodDescription instrumentedMethod,
      Assigner assigner,
      StackManipulation route,
      StackManipulation receiver,
      List<StackManipulation> arguments) {
    List<StackManipulation> boxed = new ArrayList<>();
    for (ParameterDescription parameter : instrumentedMethod.getParameters()) {
      boxed.add(
          new StackManipulation.Compound(
              arguments.get(parameter.getIndex()),
              assigner.assign(
                  parameter.getType(), TypeDescription.Generic.OBJECT, Assigner.Typing.STATIC)));
    }
    MethodDescription.InDefinedShape unified =
        ROUTE_TYPE
            .getDeclaredMethods()
            .filter(named("unified").and(takesArguments(Class.class, Object.class, Object[].class)))
            .getOnly();
    return new StackManipulation.Compound(
        route,
        ClassConstant.of(instrumentedType),
        receiver == null ? NullConstant.INSTANCE : receiver,
        ArrayFactory.forType(TypeDescription.Generic.OBJECT).withValues(boxed),
        MethodInvocation.invoke(unified));
  }
}
