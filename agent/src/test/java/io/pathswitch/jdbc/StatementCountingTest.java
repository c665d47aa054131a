package io.pathswitch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pathswitch.bootstrap.CallStatements;
import io.pathswitch.bootstrap.Statements;
import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.instrumentation.TestInstrumentation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The inserted calls in the real H2 driver, directly and through HikariCP's proxies, and in a
 * driver of the tests' own ({@code com.example.driver}), loaded by a loader of its own as a driver
 * would be, to try what H2 does not show: failures, nesting, loops at the first instruction, old
 * class files, unreadable hierarchies.
 */
class StatementCountingTest {

  private static final String DRIVER = "com.example.driver.ExampleStatement";
  private static final String PROXY = "com.example.driver.ExampleProxyStatement";

  private static StatementCounting counting;
  private static HikariDataSource pool;

  @BeforeAll
  static void instrumentAndOpenAPool() throws SQLException {
    counting = new StatementCounting(TestInstrumentation.get());
    counting.install();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:counting;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE reps (id BIGINT PRIMARY KEY, name VARCHAR(20))");
      statement.execute("INSERT INTO reps SELECT X, 'r' || X FROM SYSTEM_RANGE(1, 50)");
    }
    Statements.configure(true, 10);
  }

  @AfterAll
  static void restore() {
    Statements.configure(false, 10);
    pool.close();
    assertThat(counting.uninstall()).isTrue();
  }

  @AfterEach
  void closeLeftOverCalls() {
    Statements.end(0);
  }

  @Test
  void countsEachStatementOnceThroughThePoolsProxies() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      for (long id = 1; id <= 5; id++) {
        byId(connection, id);
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT COUNT(*) FROM reps");
        statement.executeUpdate("UPDATE reps SET name = 'x' WHERE id = 50");
      }
      try (PreparedStatement batch =
          connection.prepareStatement("UPDATE reps SET name = ? WHERE id = ?")) {
        for (long id = 40; id < 43; id++) {
          batch.setString(1, "b");
          batch.setLong(2, id);
          batch.addBatch();
        }
        batch.executeBatch();
      }
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.statements()).isEqualTo(8);
  }

  @Test
  void countsCallableStatementsAndLargeUpdates() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection();
        CallableStatement call = connection.prepareCall("CALL ABS(-3)");
        PreparedStatement update =
            connection.prepareStatement("UPDATE reps SET name = 'y' WHERE id = 49")) {
      call.execute();
      update.executeLargeUpdate();
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void countsStatementsOfTheDriverWithoutAPool() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection =
        java.sql.DriverManager.getConnection("jdbc:h2:mem:counting", "sa", "")) {
      for (long id = 1; id <= 3; id++) {
        byId(connection, id);
      }
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(3);
  }

  @Test
  void findsAnNPlusOnePatternInPreparedStatements() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      try (Statement list = connection.createStatement()) {
        list.executeQuery("SELECT id FROM reps").close();
      }
      for (long id = 1; id <= 12; id++) {
        byId(connection, id);
      }
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.statements()).isEqualTo(13);
    assertThat(call.repeats()).isEqualTo(12);
    assertThat(call.repeatedShape()).isEqualTo("SELECT id, name FROM reps WHERE id = ?");
  }

  @Test
  void findsAnNPlusOnePatternInSqlBuiltWithLiterals() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      for (long id = 1; id <= 10; id++) {
        statement.executeQuery("SELECT name FROM reps WHERE id = " + id).close();
      }
    }

    CallStatements call = Statements.end(frame);

    assertThat(call.repeats()).isEqualTo(10);
    assertThat(call.repeatedShape()).isEqualTo("SELECT name FROM reps WHERE id = ?");
  }

  @Test
  void countsNothingOutsideASwitchedCall() throws SQLException {
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    long frame = Statements.begin();

    assertThat(Statements.end(frame).statements()).isZero();
  }

  @Test
  void leavesStatementsOfOtherThreadsToThem() throws Exception {
    long frame = Statements.begin();
    CompletableFuture.runAsync(
            () -> {
              try (Connection connection = pool.getConnection()) {
                byId(connection, 2);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            })
        .get();
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(1);
  }

  @Test
  void countsAStatementThatFails() throws SQLException {
    long frame = Statements.begin();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT nothing FROM nowhere");
    } catch (SQLException expected) {
      // the driver refused it; it was still sent
    }
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void stopsOnUninstallAndCountsClassesLoadedBeforeAnInstall() throws SQLException {
    assertThat(counting.uninstall()).isTrue();
    long uninstalled = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }
    long whileUninstalled = Statements.end(uninstalled).statements();

    counting = new StatementCounting(TestInstrumentation.get());
    counting.install();
    long reinstalled = Statements.begin();
    try (Connection connection = pool.getConnection()) {
      byId(connection, 1);
    }

    assertThat(whileUninstalled).isZero();
    assertThat(Statements.end(reinstalled).statements()).isEqualTo(1);
  }

  @Test
  void closesAnExecutionThatThrowsSoTheNextStatementCounts() throws Exception {
    Statement statement = newStatement(new DriverLoader(0), "FailingStatement");
    long frame = Statements.begin();

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> statement.execute("FAIL twice")).isInstanceOf(SQLException.class);
    }
    statement.execute("SELECT 1");

    assertThat(Statements.end(frame).statements()).isEqualTo(3);
  }

  @Test
  void leavesAnExceptionTheMethodCatchesToTheMethod() throws Exception {
    Statement statement = newStatement(new DriverLoader(0), "CatchingStatement");
    long frame = Statements.begin();

    ResultSet rows = statement.executeQuery("FAIL once");
    statement.execute("SELECT 1");

    assertThat(rows).isNull();
    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void countsAProxyAndTheDriversStatementBeneathItOnce() throws Exception {
    DriverLoader loader = new DriverLoader(0);
    Statement driver = newStatement(loader, "DriverStatement");
    Statement pooled = newStatement(loader, "PooledStatement");
    pooled.getClass().getMethod("around", Statement.class).invoke(pooled, driver);
    long frame = Statements.begin();

    pooled.execute("SELECT 1");
    pooled.execute("SELECT 2");
    driver.executeUpdate("UPDATE reps SET name = 'n'");

    assertThat(Statements.end(frame).statements()).isEqualTo(3);
  }

  @Test
  void countsAMethodWhoseLoopStartsAtItsFirstInstruction() throws Exception {
    Statement statement = newStatement(new DriverLoader(0), "RetryingStatement");
    long frame = Statements.begin();

    statement.executeLargeUpdate("UPDATE reps SET name = 'n'");
    statement.executeBatch();

    assertThat(Statements.end(frame).statements()).isEqualTo(2);
  }

  @Test
  void instrumentsAnInheritedExecuteOnceWhereItIsDeclared() throws Exception {
    DriverLoader loader = new DriverLoader(0);
    Statement statement = newStatement(loader, "InheritingStatement");

    byte[] declaring = counting.rewrite(loader, DRIVER, ChildFirstLoader.bytesOf(DRIVER));
    byte[] inheriting =
        counting.rewrite(
            loader,
            "com.example.driver.InheritingStatement",
            concreteClass("InheritingStatement", DRIVER));
    long frame = Statements.begin();
    statement.execute("SELECT 1");

    assertThat(Statements.end(frame).statements()).isEqualTo(1);
    assertThat(inheriting).isNull();
    assertThat(callsTo("enter", declaring))
        .containsEntry("execute(Ljava/lang/String;)Z", 1)
        .containsEntry("executeBatch()[I", 1)
        .doesNotContainKey("<init>()V");
    assertThat(callsTo("exit", declaring)).containsEntry("execute(Ljava/lang/String;)Z", 2);
  }

  @Test
  void countsInClassFilesOlderThanJava6() throws Exception {
    DriverLoader loader = new DriverLoader(Opcodes.V1_5);
    Statement statement = newStatement(loader, "OldStatement");
    long frame = Statements.begin();

    assertThatThrownBy(() -> statement.execute("FAIL")).isInstanceOf(SQLException.class);
    statement.executeQuery("FAIL caught");
    statement.executeLargeUpdate("UPDATE reps SET name = 'n'");

    assertThat(Statements.end(frame).statements()).isEqualTo(3);
    byte[] rewritten = counting.rewrite(loader, DRIVER, loader.classFile(DRIVER));
    assertThat(verifierProblems(rewritten, loader)).isEmpty();
    assertThat(new String(rewritten, StandardCharsets.ISO_8859_1)).doesNotContain("StackMapTable");
  }

  /**
   * A Java 6 class file may come without frames (its compiler's choice); the one frame the handler
   * gets then fails the type-checking verifier, and the JVM falls back to the type-inferring one,
   * as it does for any version 50 class file that fails the first.
   */
  @Test
  void countsInJava6ClassFilesWithoutFrames() throws Exception {
    Statement statement = newStatement(new DriverLoader(Opcodes.V1_6), "FramelessStatement");
    long frame = Statements.begin();

    assertThatThrownBy(() -> statement.execute("FAIL")).isInstanceOf(SQLException.class);
    statement.executeQuery("FAIL caught");
    statement.executeLargeUpdate("UPDATE reps SET name = 'n'");

    assertThat(Statements.end(frame).statements()).isEqualTo(3);
  }

  @Test
  void skipsAClassWhoseHierarchyCannotBeRead() {
    byte[] orphan = concreteClass("OrphanStatement", "com/example/driver/MissingStatement");

    assertThat(counting.rewrite(new DriverLoader(0), "com.example.driver.OrphanStatement", orphan))
        .isNull();
  }

  @Test
  void skipsClassesThatAreNoStatementsWhateverTheirNames() throws Exception {
    ClassLoader loader = getClass().getClassLoader();

    assertThat(
            counting.rewrite(
                loader,
                "com.example.driver.NoStatement",
                concreteClass("NoStatement", "java/lang/Object")))
        .isNull();
    assertThat(
            counting.rewrite(
                loader, "java.sql.Statement", ChildFirstLoader.bytesOf("java.sql.Statement")))
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "org.h2.jdbc.JdbcStatement",
        "org.h2.jdbc.JdbcPreparedStatement",
        "org.h2.jdbc.JdbcCallableStatement",
        "org.h2.jdbc.JdbcConnection",
        "com.zaxxer.hikari.pool.ProxyStatement",
        "com.zaxxer.hikari.pool.HikariProxyPreparedStatement",
        "com.zaxxer.hikari.pool.ProxyConnection",
        "com.zaxxer.hikari.pool.HikariProxyConnection",
        DRIVER,
        PROXY
      })
  void rewritesClassesThatPassTheVerifier(String name) throws Exception {
    ClassLoader loader = getClass().getClassLoader();

    byte[] rewritten = counting.rewrite(loader, name, ChildFirstLoader.bytesOf(name));

    assertThat(rewritten).isNotNull();
    assertThat(verifierProblems(rewritten, loader)).isEmpty();
  }

  /** A new statement of the fixture driver, of a concrete class made of it under this name. */
  @Test
  void rewritesTheSameWhenManyThreadsLoadDriversAtOnce() throws Exception {
    List<String> names =
        List.of(
            "org.h2.jdbc.JdbcStatement",
            "org.h2.jdbc.JdbcPreparedStatement",
            "org.h2.jdbc.JdbcConnection",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement",
            "com.zaxxer.hikari.pool.HikariProxyConnection",
            DRIVER);
    ClassLoader loader = getClass().getClassLoader();
    List<byte[]> expected = new ArrayList<>();
    for (String name : names) {
      expected.add(counting.rewrite(loader, name, ChildFirstLoader.bytesOf(name)));
    }
    StatementCounting fresh = new StatementCounting(TestInstrumentation.get());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> sameAsAlone = new ArrayList<>();

    for (int i = 0; i < 64; i++) {
      int index = i % names.size();
      sameAsAlone.add(
          threads.submit(
              () -> {
                String name = names.get(index);
                byte[] rewritten = fresh.rewrite(loader, name, ChildFirstLoader.bytesOf(name));
                return Arrays.equals(rewritten, expected.get(index));
              }));
    }
    threads.shutdown();

    for (Future<Boolean> same : sameAsAlone) {
      assertThat(same.get()).isTrue();
    }
  }

  private static Statement newStatement(DriverLoader loader, String simpleName)
      throws ReflectiveOperationException {
    String parent = simpleName.equals("PooledStatement") ? PROXY : DRIVER;
    return (Statement) loader.concrete(simpleName, parent).getConstructor().newInstance();
  }

  /**
   * The class file of a concrete subclass of {@code parent} in the fixture driver's package. The
   * JVM takes it although it leaves the rest of {@code java.sql.Statement} out, so fixtures need
   * write only what the tests call.
   */
  static byte[] concreteClass(String simpleName, String parent) {
    String internalParent = parent.replace('.', '/');
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "com/example/driver/" + simpleName,
        null,
        internalParent,
        null);
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, internalParent, "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** How often each method of {@code classFile} calls {@code Statements.<name>}, by signature. */
  private static Map<String, Integer> callsTo(String name, byte[] classFile) {
    ClassNode type = new ClassNode();
    new ClassReader(classFile).accept(type, 0);
    Map<String, Integer> calls = new HashMap<>();
    for (MethodNode method : type.methods) {
      for (AbstractInsnNode instruction : method.instructions) {
        if (instruction instanceof MethodInsnNode call
            && call.owner.equals("io/pathswitch/bootstrap/Statements")
            && call.name.equals(name)) {
          calls.merge(method.name + method.desc, 1, Integer::sum);
        }
      }
    }
    return calls;
  }

  /** What ASM's analyser finds wrong with {@code classFile}; empty when nothing. */
  private static String verifierProblems(byte[] classFile, ClassLoader loader) {
    StringWriter problems = new StringWriter();
    CheckClassAdapter.verify(new ClassReader(classFile), loader, false, new PrintWriter(problems));
    return problems.toString();
  }

  /**
   * Loads the fixture driver's classes itself, as a driver's own class loader would, so that the
   * registered transformer rewrites them as they load; with a version, their class files are
   * rewritten to it first, frames dropped, as an old library's would be.
   */
  private static final class DriverLoader extends ClassLoader {

    private final int version;
    private final Map<String, byte[]> made = new HashMap<>();

    DriverLoader(int version) {
      super(StatementCountingTest.class.getClassLoader());
      this.version = version;
    }

    /** A concrete subclass of {@code parent} under {@code simpleName}, loaded. */
    Class<?> concrete(String simpleName, String parent) throws ClassNotFoundException {
      String name = "com.example.driver." + simpleName;
      made.put(name, concreteClass(simpleName, parent));
      return loadClass(name);
    }

    byte[] classFile(String name) throws ClassNotFoundException {
      byte[] bytes = made.get(name);
      if (bytes != null) {
        return bytes;
      }
      bytes = ChildFirstLoader.bytesOf(name);
      return version == 0 ? bytes : withVersion(bytes, version);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (!name.startsWith("com.example.driver.")) {
          return super.loadClass(name, resolve);
        }
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = classFile(name);
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        return loaded;
      }
    }

    private static byte[] withVersion(byte[] bytes, int version) {
      ClassWriter writer = new ClassWriter(0);
      new ClassReader(bytes)
          .accept(
              new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public void visit(
                    int ignored,
                    int access,
                    String name,
                    String signature,
                    String superName,
                    String[] interfaces) {
                  super.visit(version, access, name, signature, superName, interfaces);
                }
              },
              ClassReader.SKIP_FRAMES);
      return writer.toByteArray();
    }
  }

  private static void byId(Connection connection, long id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT id, name FROM reps WHERE id = ?")) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
      }
    }
  }
}
