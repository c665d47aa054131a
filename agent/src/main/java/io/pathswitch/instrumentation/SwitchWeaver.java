package io.pathswitch.instrumentation;

import io.pathswitch.bootstrap.Route;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.ListIterator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableAnnotationNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Weaves a switch into a legacy method with plain ASM: the code that asks the switch's route which
 * path a call takes, runs the unified path of a diverted call, and measures the calls the legacy
 * body serves. Byte Buddy's {@code Advice} did this before; on a cold JVM its type descriptions and
 * advice cost the thread that loads the legacy class over 400 ms, and an attach over 600 ms (issue
 * #7), against a few milliseconds here.
 *
 * <p>The woven method, for a switch whose route is {@code r} and a body that returns {@code R}:
 *
 * <pre>{@code
 * path = 0; begin = 0; queries = 0; unified = null; returned = <zero>; thrown = null;
 * route = <the binding's route>;                       // invokedynamic: a constant once compiled
 * if (route != null) {
 *   path = route.decide(<key hash>);
 *   if (path == DIVERT) {                               // the result stays on the stack
 *     Object result = <run the unified path>;           // typed invokedynamic, or an array
 *     if (result != USE_LEGACY) return (R) result;      // NULL stands for null
 *     path = FALLBACK;
 *     // R primitive, typed invokedynamic: try { return <run>; } catch (FallBack f) { ... }
 *   } else if (path == LIVE) {
 *     unified = <run the unified path>;
 *     if (unified == USE_LEGACY) { path = FALLBACK; unified = null; }
 *   }
 *   queries = route.queryMark(); begin = route.begin();
 * }
 * try { <the original body, each return storing into returned> }
 * catch (Throwable t) { thrown = t; }
 * if (path == LEGACY || path == FALLBACK) route.legacy(path, begin, queries, thrown);
 * else if (path == SHADOW || path == LIVE) {
 *   Object result = route.after(path, Origin.class, this, args, returned, unified, ...);
 *   if (path == LIVE) { returned = (R) result; thrown = null; }
 * }
 * if (thrown != null) throw thrown;
 * return returned;
 * }</pre>
 *
 * <p>The switch's locals go right after the parameters; the body's own locals move up by as many
 * slots, and its stack map frames get the switch's locals inserted, so no frame is computed and no
 * class is loaded to find a common super class. The original handlers come first in the exception
 * table, so the body still catches what it catches. A return that leaves more than its value on the
 * stack pops the rest before it jumps to the exit.
 *
 * <p>Refused, with a {@link Refused} that says why (the switch is then INVALID and the class loads
 * unchanged): a method with subroutines ({@code jsr}, older than Java 6), one that stores into its
 * receiver's slot or stores a value of another kind into a parameter's slot (the exit reads the
 * parameters, as Byte Buddy's advice did: a primitive with its declared type, a reference the body
 * stores into as an {@code Object}), one with a stack map frame that holds in a parameter's slot
 * what the exit cannot read there, one that would outgrow the 65535 bytes of code a method may
 * have, and code the analyser rejects.
 *
 * <p>Nothing is added to the class but code: no member, no type initialiser, so a class can be
 * retransformed again and restored. Methods not woven are copied as they are.
 */
final class SwitchWeaver {

  private static final String ROUTE = "io/pathswitch/bootstrap/Route";
  private static final String ROUTES = "io/pathswitch/bootstrap/Routes";
  private static final String FALL_BACK = "io/pathswitch/bootstrap/FallBack";
  private static final String KEYS = "io/pathswitch/bootstrap/Keys";
  private static final String OBJECT = "java/lang/Object";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final String ROUTE_DESCRIPTOR = "L" + ROUTE + ";";

  private static final Handle LINK =
      new Handle(
          Opcodes.H_INVOKESTATIC,
          ROUTES,
          "link",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
              + "Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;",
          false);

  private static final Handle UNIFIED =
      new Handle(
          Opcodes.H_INVOKESTATIC,
          ROUTES,
          "unified",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
              + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
          false);

  /** An invokedynamic takes at most 255 slots of arguments: the route's and the method's own. */
  private static final int MOST_DYNAMIC_SLOTS = 255;

  private SwitchWeaver() {}

  /**
   * One legacy method and the switch woven into it: the binding whose route it reads, and the index
   * of the key argument, or -1 for a switch without one.
   */
  record Target(String name, String descriptor, int binding, int keyArgument) {}

  /** A method that cannot be woven safely, and why. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The class file {@code bytes} with the switches of {@code targets} woven in, in order (two
   * switches on one method nest, the first inside).
   *
   * @throws Refused when a target method cannot be woven; nothing is then to be changed
   * @throws IllegalArgumentException when a target method is not declared by the class
   */
  static byte[] weave(byte[] bytes, List<Target> targets) {
    byte[] woven = bytes;
    for (Target target : targets) {
      woven = weave(woven, target);
    }
    return woven;
  }

  private static byte[] weave(byte[] bytes, Target target) {
    ClassReader reader = new ClassReader(bytes);
    Reading reading = new Reading(target);
    reader.accept(reading, ClassReader.EXPAND_FRAMES);
    if (reading.method == null) {
      throw new IllegalArgumentException(
          "no method " + target.name() + target.descriptor() + " in " + reader.getClassName());
    }
    MethodNode method = reading.method;
    new Weaving(reading.owner, reading.version, method, target).weave();
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            if (name.equals(target.name()) && descriptor.equals(target.descriptor())) {
              MethodVisitor visitor =
                  super.visitMethod(access, name, descriptor, signature, exceptions);
              method.accept(visitor);
              return null;
            }
            return super.visitMethod(access, name, descriptor, signature, exceptions);
          }
        },
        0);
    try {
      return writer.toByteArray();
    } catch (MethodTooLargeException e) {
      throw new Refused(
          target.name()
              + " would have "
              + e.getCodeSize()
              + " bytes of code once woven, more than the 65535 a method may have, which"
              + " pathswitch does not weave");
    } catch (ClassTooLargeException e) {
      throw new Refused(
          target.name()
              + " would take its class past the 65535 constants a class file may have ("
              + e.getConstantPoolCount()
              + "), which pathswitch does not weave");
    }
  }

  /** Reads the class's header and the one method to weave, with frames expanded. */
  private static final class Reading extends ClassVisitor {

    private final Target target;
    private String owner;
    private int version;
    private MethodNode method;

    Reading(Target target) {
      super(Opcodes.ASM9);
      this.target = target;
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
      this.version = version & 0xFFFF;
      this.owner = name;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      if (method == null && name.equals(target.name()) && descriptor.equals(target.descriptor())) {
        method = new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions);
        return method;
      }
      return null;
    }
  }

  /** The weaving of one method. */
  private static final class Weaving {

    private final String owner;
    private final int version;
    private final MethodNode method;
    private final Target target;
    private final boolean isStatic;
    private final Type[] parameters;
    private final Type returnType;
    private final boolean frames;

    /** The first slot after the parameters: where the switch's locals go. */
    private final int first;

    private final int route;
    private final int path;
    private final int begin;
    private final int queries;
    private final int unified;
    private final int returned;
    private final int thrown;

    /** How many slots the switch's locals take. */
    private final int added;

    /** The frame types of the receiver and parameters, then the switch's locals. */
    private final List<Object> ownLocals = new ArrayList<>();

    private final List<Object> switchLocals = new ArrayList<>();

    /** The handlers of the unified call, which the prologue makes and weave() adds. */
    private final List<TryCatchBlockNode> prologueHandlers = new ArrayList<>();

    /** The slots of the receiver and parameters that the body stores into. */
    private final BitSet stored = new BitSet();

    /**
     * The frame types of the receiver and parameters from the body's handler on: a reference
     * parameter the body stores into is an {@code Object} there, as the body may store any
     * reference into it, and the exit passes it on as an {@code Object} anyway.
     */
    private final List<Object> exitLocals = new ArrayList<>();

    Weaving(String owner, int version, MethodNode method, Target target) {
      this.owner = owner;
      this.version = version;
      this.method = method;
      this.target = target;
      this.isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
      this.parameters = Type.getArgumentTypes(method.desc);
      this.returnType = Type.getReturnType(method.desc);
      this.frames = version >= Opcodes.V1_6;
      int slot = isStatic ? 0 : 1;
      for (Type parameter : parameters) {
        slot += parameter.getSize();
      }
      this.first = slot;
      this.route = first;
      this.path = first + 1;
      this.begin = first + 2;
      this.queries = first + 4;
      this.unified = first + 6;
      this.returned = first + 7;
      this.thrown = returned + returnType.getSize();
      this.added = thrown + 1 - first;
      if (!isStatic) {
        ownLocals.add(owner);
      }
      for (Type parameter : parameters) {
        ownLocals.add(frameType(parameter));
      }
      switchLocals.add(ROUTE);
      switchLocals.add(Opcodes.INTEGER);
      switchLocals.add(Opcodes.LONG);
      switchLocals.add(Opcodes.LONG);
      switchLocals.add(OBJECT);
      if (returnType.getSort() != Type.VOID) {
        switchLocals.add(frameType(returnType));
      }
      switchLocals.add(THROWABLE);
    }

    void weave() {
      if ((method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
        throw new Refused(method.name + " has no body to switch");
      }
      checkParameterStores();
      relaxStoredParameters();
      Frame<BasicValue>[] analysed = analyse();
      InsnList body = method.instructions;
      LabelNode exit = new LabelNode();
      rewriteBody(body, analysed, exit);

      LabelNode bodyStart = new LabelNode();
      LabelNode bodyEnd = new LabelNode();
      LabelNode handler = new LabelNode();
      InsnList woven = new InsnList();
      woven.add(prologue(bodyStart));
      woven.add(bodyStart);
      frame(woven, List.of());
      // An instruction between this frame and one the body may declare at its own start.
      woven.add(new InsnNode(Opcodes.NOP));
      woven.add(body);
      woven.add(bodyEnd);
      woven.add(handler);
      exitFrame(woven, List.of(THROWABLE));
      woven.add(new VarInsnNode(Opcodes.ASTORE, thrown));
      woven.add(exit);
      exitFrame(woven, List.of());
      woven.add(epilogue());
      method.instructions = woven;
      // After the method's own handlers, so that it still catches what it catches.
      method.tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, handler, null));
      method.tryCatchBlocks.addAll(prologueHandlers);
      method.maxLocals += added;
      method.maxStack = Math.max(method.maxStack, Math.max(first + 2, 20));
    }

    /** Refuses stores that would change what the exit reads from the parameters' slots. */
    private void checkParameterStores() {
      for (AbstractInsnNode insn : method.instructions) {
        int slot;
        int kind;
        if (insn instanceof VarInsnNode var && isStore(insn.getOpcode())) {
          slot = var.var;
          kind = insn.getOpcode() - Opcodes.ISTORE;
        } else if (insn instanceof IincInsnNode iinc) {
          slot = iinc.var;
          kind = 0;
        } else {
          if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
            throw new Refused(
                method.name
                    + " uses subroutines (jsr/ret, class files older than Java 6), which"
                    + " pathswitch does not weave");
          }
          continue;
        }
        if (slot >= first) {
          continue;
        }
        int at = isStatic ? 0 : 1;
        boolean fits = false;
        for (Type parameter : parameters) {
          if (slot == at) {
            fits = storeKind(parameter) == kind;
            break;
          }
          at += parameter.getSize();
        }
        stored.set(slot);
        if (!fits) {
          throw new Refused(
              method.name
                  + " stores a value of another kind into the slot of "
                  + (slot == 0 && !isStatic ? "its receiver" : "a parameter")
                  + " ("
                  + slot
                  + "), which pathswitch does not weave");
        }
      }
    }

    private void relaxStoredParameters() {
      int slot = 0;
      for (Object own : ownLocals) {
        exitLocals.add(own instanceof String && stored.get(slot) ? OBJECT : own);
        slot += own == Opcodes.LONG || own == Opcodes.DOUBLE ? 2 : 1;
      }
    }

    private Frame<BasicValue>[] analyse() {
      try {
        return new Analyzer<>(new BasicInterpreter()).analyze(owner, method);
      } catch (AnalyzerException e) {
        throw new Refused(method.name + " could not be analysed: " + e.getMessage());
      }
    }

    /**
     * Moves the body's locals above the switch's, inserts the switch's locals into its frames, and
     * turns each return into a store of the result and a jump to {@code exit}.
     */
    private void rewriteBody(InsnList body, Frame<BasicValue>[] analysed, LabelNode exit) {
      AbstractInsnNode[] instructions = body.toArray();
      for (int i = 0; i < instructions.length; i++) {
        AbstractInsnNode insn = instructions[i];
        if (insn instanceof VarInsnNode var) {
          if (var.var >= first) {
            var.var += added;
          }
        } else if (insn instanceof IincInsnNode iinc) {
          if (iinc.var >= first) {
            iinc.var += added;
          }
        } else if (insn instanceof FrameNode frame) {
          if (frames) {
            frame.local = withSwitchLocals(frame.local);
          } else {
            body.remove(frame);
          }
        } else if (isReturn(insn.getOpcode())) {
          InsnList replacement = new InsnList();
          if (returnType.getSort() != Type.VOID) {
            replacement.add(new VarInsnNode(returnType.getOpcode(Opcodes.ISTORE), returned));
          }
          Frame<BasicValue> before = analysed[i];
          if (before == null) {
            // Unreachable code: the analyser gives it no frame; it never runs.
            continue;
          }
          int below = before.getStackSize() - (returnType.getSort() == Type.VOID ? 0 : 1);
          for (int s = below - 1; s >= 0; s--) {
            replacement.add(
                new InsnNode(before.getStack(s).getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
          }
          replacement.add(new JumpInsnNode(Opcodes.GOTO, exit));
          body.insert(insn, replacement);
          body.remove(insn);
        }
      }
      for (LocalVariableNode local :
          method.localVariables == null ? List.<LocalVariableNode>of() : method.localVariables) {
        if (local.index >= first) {
          local.index += added;
        }
      }
      shiftAnnotations(method.visibleLocalVariableAnnotations);
      shiftAnnotations(method.invisibleLocalVariableAnnotations);
    }

    private void shiftAnnotations(List<LocalVariableAnnotationNode> annotations) {
      if (annotations == null) {
        return;
      }
      for (LocalVariableAnnotationNode annotation : annotations) {
        ListIterator<Integer> index = annotation.index.listIterator();
        while (index.hasNext()) {
          int slot = index.next();
          if (slot >= first) {
            index.set(slot + added);
          }
        }
      }
    }

    /**
     * A body frame's locals with the switch's inserted after the parameters. The handler and the
     * exit read the receiver and parameters, so each body frame must hold them too, as the types of
     * {@link #exitLocals} or narrower. A frame may leave a parameter the rest of the body does not
     * read as TOP (javac never does, other compilers and bytecode tools may): it gets the
     * parameter's type back when the body never stores into its slot, so the value there is still
     * the argument.
     */
    private List<Object> withSwitchLocals(List<Object> locals) {
      List<Object> result = new ArrayList<>(locals.size() + switchLocals.size() + first);
      int slot = 0;
      int entry = 0;
      for (Object own : ownLocals) {
        Object type = entry < locals.size() ? locals.get(entry) : Opcodes.TOP;
        entry++;
        if (!type.equals(own)) {
          boolean wide = own == Opcodes.LONG || own == Opcodes.DOUBLE;
          if (wide && type.equals(Opcodes.TOP)) {
            // A long or double left as TOP takes two TOP entries.
            type = entry < locals.size() ? locals.get(entry) : Opcodes.TOP;
            entry++;
          }
          if (stored.get(slot) && own instanceof String && isReference(type)) {
            result.add(type);
            slot++;
            continue;
          }
          if (!type.equals(Opcodes.TOP) || stored.get(slot)) {
            throw new Refused(
                method.name
                    + " has a stack map frame that holds "
                    + frameName(type)
                    + " in the slot of "
                    + (slot == 0 && !isStatic ? "its receiver" : "a parameter")
                    + " ("
                    + slot
                    + ") declared "
                    + frameName(own)
                    + ", which pathswitch does not weave");
          }
        }
        result.add(own);
        slot += own == Opcodes.LONG || own == Opcodes.DOUBLE ? 2 : 1;
      }
      result.addAll(switchLocals);
      if (entry < locals.size()) {
        result.addAll(locals.subList(entry, locals.size()));
      }
      return result;
    }

    private static boolean isReference(Object type) {
      return type instanceof String || type.equals(Opcodes.NULL);
    }

    /** A frame type as a reader knows it: a class name, or the kind of a primitive. */
    private static String frameName(Object type) {
      if (type instanceof String name) {
        return name;
      } else if (type instanceof LabelNode) {
        return "an uninitialised object";
      } else if (type.equals(Opcodes.TOP)) {
        return "nothing (TOP)";
      } else if (type.equals(Opcodes.INTEGER)) {
        return "an int";
      } else if (type.equals(Opcodes.FLOAT)) {
        return "a float";
      } else if (type.equals(Opcodes.LONG)) {
        return "a long";
      } else if (type.equals(Opcodes.DOUBLE)) {
        return "a double";
      } else if (type.equals(Opcodes.NULL)) {
        return "null";
      }
      return "an uninitialised receiver";
    }

    private InsnList prologue(LabelNode body) {
      InsnList code = new InsnList();
      code.add(new InsnNode(Opcodes.ICONST_0));
      code.add(new VarInsnNode(Opcodes.ISTORE, path));
      code.add(new InsnNode(Opcodes.LCONST_0));
      code.add(new VarInsnNode(Opcodes.LSTORE, begin));
      code.add(new InsnNode(Opcodes.LCONST_0));
      code.add(new VarInsnNode(Opcodes.LSTORE, queries));
      code.add(new InsnNode(Opcodes.ACONST_NULL));
      code.add(new VarInsnNode(Opcodes.ASTORE, unified));
      if (returnType.getSort() != Type.VOID) {
        code.add(zero(returnType));
        code.add(new VarInsnNode(returnType.getOpcode(Opcodes.ISTORE), returned));
      }
      code.add(new InsnNode(Opcodes.ACONST_NULL));
      code.add(new VarInsnNode(Opcodes.ASTORE, thrown));
      readRoute(code);
      code.add(new VarInsnNode(Opcodes.ASTORE, route));
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      code.add(new JumpInsnNode(Opcodes.IFNULL, body));

      LabelNode live = new LabelNode();
      LabelNode divertFellBack = new LabelNode();
      LabelNode mark = new LabelNode();
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      keyHash(code);
      invokeRoute(code, "decide", "(J)I");
      code.add(new VarInsnNode(Opcodes.ISTORE, path));
      unlessPath(code, Route.DIVERT, live);

      if (typedResult()) {
        // The result comes back unboxed, and a call the legacy path must serve throws FallBack:
        // a box of the result would meet another value on its way to the return, and the JIT
        // would then keep it on the heap.
        caught(code, () -> runUnified(code), divertFellBack);
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
        code.add(divertFellBack);
        frame(code, List.of(FALL_BACK));
      } else {
        // The result stays on the stack, where it meets no other value.
        runUnified(code);
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new FieldInsnNode(Opcodes.GETSTATIC, ROUTE, "USE_LEGACY", "Ljava/lang/Object;"));
        code.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, divertFellBack));
        if (returnType.getSort() == Type.VOID) {
          code.add(new InsnNode(Opcodes.POP));
          code.add(new InsnNode(Opcodes.RETURN));
        } else {
          fromObject(code, true);
          code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
        }
        code.add(divertFellBack);
        frame(code, List.of(OBJECT));
      }
      code.add(new InsnNode(Opcodes.POP));
      code.add(constant(Route.FALLBACK));
      code.add(new VarInsnNode(Opcodes.ISTORE, path));
      code.add(new JumpInsnNode(Opcodes.GOTO, mark));

      code.add(live);
      frame(code, List.of());
      unlessPath(code, Route.LIVE, mark);
      LabelNode liveFellBack = new LabelNode();
      if (typedResult()) {
        caught(
            code,
            () -> {
              runUnified(code);
              box(code, returnType);
              code.add(new VarInsnNode(Opcodes.ASTORE, unified));
            },
            liveFellBack);
        code.add(new JumpInsnNode(Opcodes.GOTO, mark));
        code.add(liveFellBack);
        frame(code, List.of(FALL_BACK));
        code.add(new InsnNode(Opcodes.POP));
      } else {
        runUnified(code);
        code.add(new VarInsnNode(Opcodes.ASTORE, unified));
        code.add(new VarInsnNode(Opcodes.ALOAD, unified));
        code.add(new FieldInsnNode(Opcodes.GETSTATIC, ROUTE, "USE_LEGACY", "Ljava/lang/Object;"));
        code.add(new JumpInsnNode(Opcodes.IF_ACMPNE, mark));
      }
      code.add(constant(Route.FALLBACK));
      code.add(new VarInsnNode(Opcodes.ISTORE, path));
      code.add(new InsnNode(Opcodes.ACONST_NULL));
      code.add(new VarInsnNode(Opcodes.ASTORE, unified));

      code.add(mark);
      frame(code, List.of());
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      invokeRoute(code, "queryMark", "()J");
      code.add(new VarInsnNode(Opcodes.LSTORE, queries));
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      invokeRoute(code, "begin", "()J");
      code.add(new VarInsnNode(Opcodes.LSTORE, begin));
      return code;
    }

    private InsnList epilogue() {
      InsnList code = new InsnList();
      LabelNode legacy = new LabelNode();
      LabelNode other = new LabelNode();
      LabelNode after = new LabelNode();
      LabelNode done = new LabelNode();
      LabelNode normal = new LabelNode();
      ifPath(code, Route.LEGACY, legacy);
      unlessPath(code, Route.FALLBACK, other);

      code.add(legacy);
      exitFrame(code, List.of());
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      code.add(new VarInsnNode(Opcodes.ILOAD, path));
      code.add(new VarInsnNode(Opcodes.LLOAD, begin));
      code.add(new VarInsnNode(Opcodes.LLOAD, queries));
      code.add(new VarInsnNode(Opcodes.ALOAD, thrown));
      invokeRoute(code, "legacy", "(IJJLjava/lang/Throwable;)V");
      code.add(new JumpInsnNode(Opcodes.GOTO, done));

      code.add(other);
      exitFrame(code, List.of());
      ifPath(code, Route.SHADOW, after);
      unlessPath(code, Route.LIVE, done);

      code.add(after);
      exitFrame(code, List.of());
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      code.add(new VarInsnNode(Opcodes.ILOAD, path));
      origin(code);
      code.add(isStatic ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, 0));
      argumentArray(code);
      if (returnType.getSort() == Type.VOID) {
        code.add(new InsnNode(Opcodes.ACONST_NULL));
        code.add(new FieldInsnNode(Opcodes.GETSTATIC, ROUTE, "NULL", "Ljava/lang/Object;"));
      } else {
        code.add(new VarInsnNode(returnType.getOpcode(Opcodes.ILOAD), returned));
        box(code, returnType);
        code.add(new VarInsnNode(Opcodes.ALOAD, unified));
      }
      code.add(new VarInsnNode(Opcodes.LLOAD, begin));
      code.add(new VarInsnNode(Opcodes.LLOAD, queries));
      code.add(new VarInsnNode(Opcodes.ALOAD, thrown));
      invokeRoute(
          code,
          "after",
          "(ILjava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;Ljava/lang/Object;"
              + "Ljava/lang/Object;JJLjava/lang/Throwable;)Ljava/lang/Object;");
      // The result, kept in the unified local until it is known whether the caller gets it.
      code.add(new VarInsnNode(Opcodes.ASTORE, unified));
      unlessPath(code, Route.LIVE, done);
      if (returnType.getSort() != Type.VOID) {
        code.add(new VarInsnNode(Opcodes.ALOAD, unified));
        fromObject(code, false);
        code.add(new VarInsnNode(returnType.getOpcode(Opcodes.ISTORE), returned));
      }
      code.add(new InsnNode(Opcodes.ACONST_NULL));
      code.add(new VarInsnNode(Opcodes.ASTORE, thrown));

      code.add(done);
      exitFrame(code, List.of());
      code.add(new VarInsnNode(Opcodes.ALOAD, thrown));
      code.add(new JumpInsnNode(Opcodes.IFNULL, normal));
      code.add(new VarInsnNode(Opcodes.ALOAD, thrown));
      code.add(new InsnNode(Opcodes.ATHROW));
      code.add(normal);
      exitFrame(code, List.of());
      if (returnType.getSort() == Type.VOID) {
        code.add(new InsnNode(Opcodes.RETURN));
      } else {
        code.add(new VarInsnNode(returnType.getOpcode(Opcodes.ILOAD), returned));
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
      }
      return code;
    }

    /** The route of the binding: a constant call site from Java 7 on, a table read before. */
    private void readRoute(InsnList code) {
      if (version >= Opcodes.V1_7) {
        code.add(
            new InvokeDynamicInsnNode("route", "()" + ROUTE_DESCRIPTOR, LINK, target.binding()));
      } else {
        code.add(constant(target.binding()));
        code.add(
            new MethodInsnNode(
                Opcodes.INVOKESTATIC, ROUTES, "get", "(I)" + ROUTE_DESCRIPTOR, false));
      }
    }

    /** Keys' hash of the key argument, by the overload that takes it unboxed; 0 without a key. */
    private void keyHash(InsnList code) {
      int key = target.keyArgument();
      if (key < 0 || key >= parameters.length) {
        code.add(new InsnNode(Opcodes.LCONST_0));
        return;
      }
      int slot = isStatic ? 0 : 1;
      for (int i = 0; i < key; i++) {
        slot += parameters[i].getSize();
      }
      Type type = parameters[key];
      code.add(new VarInsnNode(type.getOpcode(Opcodes.ILOAD), slot));
      String parameter;
      switch (type.getSort()) {
        case Type.LONG -> parameter = "J";
        case Type.INT, Type.SHORT, Type.BYTE -> parameter = "I";
        case Type.CHAR -> parameter = "C";
        case Type.BOOLEAN -> parameter = "Z";
        case Type.DOUBLE -> parameter = "D";
        case Type.FLOAT -> {
          code.add(new InsnNode(Opcodes.F2D));
          parameter = "D";
        }
        default -> parameter = "Ljava/lang/Object;";
      }
      code.add(
          new MethodInsnNode(Opcodes.INVOKESTATIC, KEYS, "hash", "(" + parameter + ")J", false));
    }

    /**
     * Runs the unified path: an invokedynamic typed with the receiver and the parameters, or, in a
     * class file older than Java 7 or for parameters that fill the slots an invokedynamic can take,
     * a call with the arguments boxed into an array.
     */
    private void runUnified(InsnList code) {
      code.add(new VarInsnNode(Opcodes.ALOAD, route));
      if (dynamicUnified()) {
        StringBuilder descriptor = new StringBuilder("(").append(ROUTE_DESCRIPTOR);
        if (!isStatic) {
          code.add(new VarInsnNode(Opcodes.ALOAD, 0));
          descriptor.append('L').append(owner).append(';');
        }
        int slot = isStatic ? 0 : 1;
        for (Type parameter : parameters) {
          code.add(new VarInsnNode(parameter.getOpcode(Opcodes.ILOAD), slot));
          slot += parameter.getSize();
          descriptor.append(parameter.getDescriptor());
        }
        descriptor
            .append(')')
            .append(typedResult() ? returnType.getDescriptor() : "Ljava/lang/Object;");
        code.add(new InvokeDynamicInsnNode("unified", descriptor.toString(), UNIFIED));
        return;
      }
      origin(code);
      code.add(isStatic ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, 0));
      argumentArray(code);
      invokeRoute(
          code,
          "unified",
          "(Ljava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;");
    }

    /** Jumps to {@code target} when the call's path is {@code value}. */
    private void ifPath(InsnList code, int value, LabelNode target) {
      code.add(new VarInsnNode(Opcodes.ILOAD, path));
      code.add(constant(value));
      code.add(new JumpInsnNode(Opcodes.IF_ICMPEQ, target));
    }

    /** Jumps to {@code target} when the call's path is not {@code value}. */
    private void unlessPath(InsnList code, int value, LabelNode target) {
      code.add(new VarInsnNode(Opcodes.ILOAD, path));
      code.add(constant(value));
      code.add(new JumpInsnNode(Opcodes.IF_ICMPNE, target));
    }

    /** Whether the unified path runs through a typed invokedynamic, rather than an array. */
    private boolean dynamicUnified() {
      return version >= Opcodes.V1_7 && first < MOST_DYNAMIC_SLOTS;
    }

    /**
     * Whether that invokedynamic returns the result unboxed: for a primitive result, which then
     * comes back without a box, and a call the legacy path must serve throws {@code FallBack}.
     */
    private boolean typedResult() {
      int sort = returnType.getSort();
      return dynamicUnified() && sort != Type.VOID && sort != Type.OBJECT && sort != Type.ARRAY;
    }

    /** {@code covered}'s code, with {@code FallBack} thrown there caught at {@code handler}. */
    private void caught(InsnList code, Runnable covered, LabelNode handler) {
      LabelNode start = new LabelNode();
      LabelNode end = new LabelNode();
      code.add(start);
      covered.run();
      code.add(end);
      prologueHandlers.add(new TryCatchBlockNode(start, end, handler, FALL_BACK));
    }

    /** The legacy class as a constant; before Java 5, by name through the class's own loader. */
    private void origin(InsnList code) {
      if (version >= Opcodes.V1_5) {
        code.add(new LdcInsnNode(Type.getObjectType(owner)));
      } else {
        code.add(new LdcInsnNode(owner.replace('/', '.')));
        code.add(
            new MethodInsnNode(
                Opcodes.INVOKESTATIC,
                "java/lang/Class",
                "forName",
                "(Ljava/lang/String;)Ljava/lang/Class;",
                false));
      }
    }

    /** The parameters, boxed, in a new {@code Object[]}. */
    private void argumentArray(InsnList code) {
      code.add(constant(parameters.length));
      code.add(new TypeInsnNode(Opcodes.ANEWARRAY, OBJECT));
      int slot = isStatic ? 0 : 1;
      for (int i = 0; i < parameters.length; i++) {
        code.add(new InsnNode(Opcodes.DUP));
        code.add(constant(i));
        code.add(new VarInsnNode(parameters[i].getOpcode(Opcodes.ILOAD), slot));
        box(code, parameters[i]);
        code.add(new InsnNode(Opcodes.AASTORE));
        slot += parameters[i].getSize();
      }
    }

    /**
     * Turns the object on the stack into the return type: unboxed for a primitive, cast for a
     * reference; when {@code nullable}, {@link Route#NULL} becomes {@code null} first.
     */
    private void fromObject(InsnList code, boolean nullable) {
      if (returnType.getSort() == Type.OBJECT || returnType.getSort() == Type.ARRAY) {
        if (nullable) {
          LabelNode value = new LabelNode();
          code.add(new InsnNode(Opcodes.DUP));
          code.add(new FieldInsnNode(Opcodes.GETSTATIC, ROUTE, "NULL", "Ljava/lang/Object;"));
          code.add(new JumpInsnNode(Opcodes.IF_ACMPNE, value));
          code.add(new InsnNode(Opcodes.POP));
          code.add(new InsnNode(Opcodes.ACONST_NULL));
          code.add(value);
          frame(code, List.of(OBJECT));
        }
        if (!returnType.getInternalName().equals(OBJECT)) {
          code.add(new TypeInsnNode(Opcodes.CHECKCAST, returnType.getInternalName()));
        }
        return;
      }
      String box = boxOf(returnType);
      code.add(new TypeInsnNode(Opcodes.CHECKCAST, box));
      code.add(
          new MethodInsnNode(
              Opcodes.INVOKEVIRTUAL,
              box,
              returnType.getClassName() + "Value",
              "()" + returnType.getDescriptor(),
              false));
    }

    private static void box(InsnList code, Type type) {
      if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
        return;
      }
      String box = boxOf(type);
      code.add(
          new MethodInsnNode(
              Opcodes.INVOKESTATIC,
              box,
              "valueOf",
              "(" + type.getDescriptor() + ")L" + box + ";",
              false));
    }

    private static String boxOf(Type type) {
      return switch (type.getSort()) {
        case Type.BOOLEAN -> "java/lang/Boolean";
        case Type.BYTE -> "java/lang/Byte";
        case Type.CHAR -> "java/lang/Character";
        case Type.SHORT -> "java/lang/Short";
        case Type.INT -> "java/lang/Integer";
        case Type.LONG -> "java/lang/Long";
        case Type.FLOAT -> "java/lang/Float";
        case Type.DOUBLE -> "java/lang/Double";
        default -> throw new IllegalArgumentException("not primitive: " + type);
      };
    }

    private static AbstractInsnNode zero(Type type) {
      return switch (type.getSort()) {
        case Type.LONG -> new InsnNode(Opcodes.LCONST_0);
        case Type.FLOAT -> new InsnNode(Opcodes.FCONST_0);
        case Type.DOUBLE -> new InsnNode(Opcodes.DCONST_0);
        case Type.OBJECT, Type.ARRAY -> new InsnNode(Opcodes.ACONST_NULL);
        default -> new InsnNode(Opcodes.ICONST_0);
      };
    }

    private static void invokeRoute(InsnList code, String name, String descriptor) {
      code.add(new MethodInsnNode(Opcodes.INVOKEINTERFACE, ROUTE, name, descriptor, true));
    }

    /** A full frame here: the receiver, parameters and switch's locals, and {@code stack}. */
    private void frame(InsnList code, List<Object> stack) {
      frame(code, ownLocals, stack);
    }

    /** A full frame after the body, where a parameter it stores into may hold another type. */
    private void exitFrame(InsnList code, List<Object> stack) {
      frame(code, exitLocals, stack);
    }

    private void frame(InsnList code, List<Object> own, List<Object> stack) {
      if (!frames) {
        return;
      }
      List<Object> locals = new ArrayList<>(own);
      locals.addAll(switchLocals);
      code.add(
          new FrameNode(
              Opcodes.F_NEW, locals.size(), locals.toArray(), stack.size(), stack.toArray()));
    }

    private static AbstractInsnNode constant(int value) {
      if (value >= -1 && value <= 5) {
        return new InsnNode(Opcodes.ICONST_0 + value);
      }
      if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
        return new IntInsnNode(Opcodes.BIPUSH, value);
      }
      if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
        return new IntInsnNode(Opcodes.SIPUSH, value);
      }
      return new LdcInsnNode(value);
    }

    private static Object frameType(Type type) {
      return switch (type.getSort()) {
        case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
        case Type.LONG -> Opcodes.LONG;
        case Type.FLOAT -> Opcodes.FLOAT;
        case Type.DOUBLE -> Opcodes.DOUBLE;
        case Type.ARRAY -> type.getDescriptor();
        default -> type.getInternalName();
      };
    }

    private static int storeKind(Type parameter) {
      return switch (parameter.getSort()) {
        case Type.LONG -> 1;
        case Type.FLOAT -> 2;
        case Type.DOUBLE -> 3;
        case Type.OBJECT, Type.ARRAY -> 4;
        default -> 0;
      };
    }

    private static boolean isStore(int opcode) {
      return opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE;
    }

    private static boolean isReturn(int opcode) {
      return opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN;
    }
  }
}
