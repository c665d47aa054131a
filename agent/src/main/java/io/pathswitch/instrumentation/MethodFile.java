package io.pathswitch.instrumentation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A method, constructor or type initialiser a class file declares. Type names are Java names:
 * {@code int}, {@code long[]}, {@code java.lang.String}, {@code a.B$C}. Immutable.
 */
public record MethodFile(int access, String name, String descriptor) {

  public MethodFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(descriptor, "descriptor");
  }

  public boolean isStatic() {
    return (access & Opcodes.ACC_STATIC) != 0;
  }

  public boolean isAbstract() {
    return (access & Opcodes.ACC_ABSTRACT) != 0;
  }

  public boolean isNative() {
    return (access & Opcodes.ACC_NATIVE) != 0;
  }

  public boolean isPublic() {
    return (access & Opcodes.ACC_PUBLIC) != 0;
  }

  /** Neither a constructor nor the type initialiser. */
  public boolean isMethod() {
    return !isConstructor() && !name.equals("<clinit>");
  }

  public boolean isConstructor() {
    return name.equals("<init>");
  }

  /** The parameters' types, in order. */
  public List<String> parameterTypeNames() {
    return Arrays.stream(Type.getArgumentTypes(descriptor)).map(Type::getClassName).toList();
  }

  /** The return type, {@code void} for none. */
  public String returnTypeName() {
    return Type.getReturnType(descriptor).getClassName();
  }

  public boolean returnsVoid() {
    return Type.getReturnType(descriptor).getSort() == Type.VOID;
  }

  public int parameterCount() {
    return Type.getArgumentTypes(descriptor).length;
  }
}
