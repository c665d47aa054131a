package io.pathswitch.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.pathswitch.bootstrap.Keys;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.assign.primitive.PrimitiveWideningDelegate;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;

/**
 * Binds {@link SwitchAdvice.KeyHash} to a call of the {@link Keys#hash} overload that fits the key
 * argument's type, so a {@code long} or {@code String} key is hashed without boxing. Without a key
 * argument the mapping is the constant 0 and the route buckets each call on its own.
 */
final class KeyHashMapping implements Advice.OffsetMapping {

  private final int argument;

  /** {@code argument} is the key's parameter index, or -1 for a switch without a key. */
  KeyHashMapping(int argument) {
    this.argument = argument;
  }

  @Override
  public Target resolve(
      TypeDescription instrumentedType,
      MethodDescription instrumentedMethod,
      Assigner assigner,
      Advice.ArgumentHandler argumentHandler,
      Sort sort) {
    if (argument < 0 || argument >= instrumentedMethod.getParameters().size()) {
      return new Target.ForStackManipulation(LongConstant.forValue(0));
    }
    ParameterDescription parameter = instrumentedMethod.getParameters().get(argument);
    TypeDefinition type = parameter.getType();
    StackManipulation load =
        MethodVariableAccess.of(type).loadFrom(argumentHandler.argument(parameter.getOffset()));
    StackManipulation widen =
        type.represents(float.class)
            ? PrimitiveWideningDelegate.forPrimitive(type)
                .widenTo(TypeDescription.ForLoadedType.of(double.class))
            : StackManipulation.Trivial.INSTANCE;
    return new Target.ForStackManipulation(
        new StackManipulation.Compound(load, widen, MethodInvocation.invoke(hashFor(type))));
  }

  private static MethodDescription.InDefinedShape hashFor(TypeDefinition type) {
    Class<?> parameter = hashParameter(type);
    return new TypeDescription.ForLoadedType(Keys.class)
        .getDeclaredMethods()
        .filter(named("hash").and(takesArguments(parameter)))
        .getOnly();
  }

  private static Class<?> hashParameter(TypeDefinition type) {
    if (!type.isPrimitive()) {
      return Object.class;
    }
    String name = type.asErasure().getName();
    switch (name) {
      case "long":
        return long.class;
      case "int":
      case "short":
      case "byte":
        return int.class;
      case "char":
        return char.class;
      case "boolean":
        return boolean.class;
      default:
        return double.class; // float widens to double
    }
  }
}
