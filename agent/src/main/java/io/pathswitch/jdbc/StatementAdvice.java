package io.pathswitch.jdbc;

import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts the calls to {@code io.pathswitch.bootstrap.Statements} into the methods of one JDBC
 * statement or connection class, with plain ASM: a JDBC class is rewritten while the application
 * loads it, on its own thread, and Byte Buddy's type descriptions and advice cost that thread
 * hundreds of milliseconds of start-up while their code was still cold.
 *
 * <p>What is inserted:
 *
 * <ul>
 *   <li>into {@code execute*} and {@code execute[Large]Batch} of a statement (no arguments, or a
 *       {@code String} first), {@code Statements.enter(this, sqlOrNull)} at entry, and {@code
 *       Statements.exit()} before each return and in a handler that catches whatever the method
 *       throws, after its own handlers, and throws it on;
 *   <li>into {@code prepareStatement} and {@code prepareCall} of a connection ({@code String}
 *       first, an object returned), {@code Statements.prepared(returned, sql)} before each return.
 * </ul>
 *
 * <p>The {@code Statements} methods catch whatever they throw, so the inserted code needs no
 * handler of its own and never fails a driver's call; that they exist with these signatures is what
 * {@code Routes.REVISION} vouches for before anything is inserted. It adds no member and needs no
 * local variable: the class can be retransformed again and restored. Stack map frames are not
 * computed, which would load classes to find common super classes: the code at entry has no branch,
 * and the handler's frame, placed after the method's own code, holds no local and the exception
 * alone. Class files older than Java 6 get no frame. Constructors, abstract, native and static
 * methods are left alone, and so are methods declared elsewhere: an inherited {@code execute} is
 * changed once, in the class that declares it.
 *
 * <p>Not thread-safe: one per class file rewritten.
 */
final class StatementAdvice extends ClassVisitor {

  private static final String STATEMENTS = "io/pathswitch/bootstrap/Statements";

  private static final Set<String> EXECUTE =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "executeBatch",
          "executeLargeBatch");

  private static final Set<String> PREPARE = Set.of("prepareStatement", "prepareCall");

  private static final String STRING_FIRST = "(Ljava/lang/String;";

  private static final Object[] THROWABLE = {"java/lang/Throwable"};

  private static final int LEFT_ALONE =
      Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC;

  private final boolean statement;
  private final boolean connection;
  private boolean frames;
  private boolean changed;

  private StatementAdvice(ClassVisitor next, boolean statement, boolean connection) {
    super(Opcodes.ASM9, next);
    this.statement = statement;
    this.connection = connection;
  }

  /**
   * The class file of {@code type} with the calls inserted into its statement methods (when {@code
   * statement}) and its connection methods (when {@code connection}); null when it declares none.
   * Methods it leaves alone are copied as they are.
   */
  static byte[] rewrite(ClassReader type, boolean statement, boolean connection) {
    ClassWriter writer = new ClassWriter(type, 0);
    StatementAdvice advice = new StatementAdvice(writer, statement, connection);
    type.accept(advice, 0);
    return advice.changed ? writer.toByteArray() : null;
  }

  @Override
  public void visit(
      int version,
      int access,
      String name,
      String signature,
      String superName,
      String[] interfaces) {
    // The minor version sits in the upper 16 bits.
    frames = (version & 0xFFFF) >= Opcodes.V1_6;
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (next == null || (access & LEFT_ALONE) != 0) {
      return next;
    }
    if (statement && isExecute(name, descriptor)) {
      changed = true;
      return new Execute(next, descriptor.startsWith(STRING_FIRST), frames);
    }
    if (connection && isPrepare(name, descriptor)) {
      changed = true;
      return new Prepare(next);
    }
    return next;
  }

  static boolean isExecute(String name, String descriptor) {
    return EXECUTE.contains(name)
        && (descriptor.startsWith("()") || descriptor.startsWith(STRING_FIRST));
  }

  /**
   * A {@code prepare*} that returns an object: a primitive one, which no driver declares, would
   * need boxing and is left alone.
   */
  static boolean isPrepare(String name, String descriptor) {
    if (!PREPARE.contains(name) || !descriptor.startsWith(STRING_FIRST)) {
      return false;
    }
    char returned = descriptor.charAt(descriptor.indexOf(')') + 1);
    return returned == 'L' || returned == '[';
  }

  /**
   * Enter at the start, exit before each return and in a catch-all handler at the end.
   *
   * <p>The handler must come after the method's own in the exception table, or it would take the
   * exceptions the method catches itself; the reader visits those first, so the handler is declared
   * at the first instruction after them, which is also where the entry code goes.
   */
  private static final class Execute extends MethodVisitor {

    private final boolean sqlFirst;
    private final boolean frames;
    private final Label start = new Label();
    private final Label end = new Label();
    private final Label handler = new Label();
    private boolean begun;

    Execute(MethodVisitor next, boolean sqlFirst, boolean frames) {
      super(Opcodes.ASM9, next);
      this.sqlFirst = sqlFirst;
      this.frames = frames;
    }

    private void begin() {
      if (begun) {
        return;
      }
      begun = true;
      super.visitTryCatchBlock(start, end, handler, null);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      if (sqlFirst) {
        super.visitVarInsn(Opcodes.ALOAD, 1);
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
      }
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          STATEMENTS,
          "enter",
          "(Ljava/lang/Object;Ljava/lang/Object;)V",
          false);
      super.visitLabel(start);
    }

    private void exit() {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, STATEMENTS, "exit", "()V", false);
    }

    @Override
    public void visitInsn(int opcode) {
      begin();
      if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        exit();
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      begin();
      super.visitLabel(end);
      super.visitLabel(handler);
      if (frames) {
        super.visitFrame(Opcodes.F_FULL, 0, null, 1, THROWABLE);
      }
      exit();
      super.visitInsn(Opcodes.ATHROW);
      // The entry code pushes two values on an empty stack; exit pushes none.
      super.visitMaxs(Math.max(maxStack, 2), maxLocals);
    }

    @Override
    public void visitFrame(int type, int locals, Object[] local, int stack, Object[] onStack) {
      begin();
      super.visitFrame(type, locals, local, stack, onStack);
    }

    @Override
    public void visitLabel(Label label) {
      begin();
      super.visitLabel(label);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      begin();
      super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      begin();
      super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      begin();
      super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      begin();
      super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      begin();
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(
        String name, String descriptor, Handle bootstrap, Object... arguments) {
      begin();
      super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      begin();
      super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
      begin();
      super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
      begin();
      super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
      begin();
      super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
      begin();
      super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
      begin();
      super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
  }

  /** {@code Statements.prepared(returned, sql)} before each return. */
  private static final class Prepare extends MethodVisitor {

    Prepare(MethodVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.ARETURN) {
        super.visitInsn(Opcodes.DUP);
        // The first argument's slot, as it is now: a method may have reassigned it.
        super.visitVarInsn(Opcodes.ALOAD, 1);
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            STATEMENTS,
            "prepared",
            "(Ljava/lang/Object;Ljava/lang/Object;)V",
            false);
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      // The returned value and the SQL, on top of whatever the stack held at the return.
      super.visitMaxs(maxStack + 2, maxLocals);
    }
  }
}
