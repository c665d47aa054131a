package io.pathswitch.sample.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A data source that reports every statement it runs as one line beginning {@code Query: }, just
 * before running it: the SQL with its whitespace folded, then the bound parameters, or the size of
 * a batch. It is what {@code --log-sql} turns on.
 *
 * <p>It wraps with {@link Proxy} rather than by implementing the JDBC interfaces, which gain
 * methods with Java releases. Thread-safe as far as the wrapped objects are; a statement, like the
 * driver's own, is used by one thread at a time.
 */
public final class SqlLog {

  public static final String PREFIX = "Query: ";

  private SqlLog() {}

  /** Wraps {@code target} so that each statement run through it is passed, as a line, to lines. */
  public static DataSource wrap(DataSource target, Consumer<String> lines) {
    return proxy(
        DataSource.class,
        new Wrapper(target) {
          @Override
          Object call(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = forward(method, args);
            return result instanceof Connection connection ? connection(connection, lines) : result;
          }
        });
  }

  private static Connection connection(Connection target, Consumer<String> lines) {
    return proxy(
        Connection.class,
        new Wrapper(target) {
          @Override
          Object call(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = forward(method, args);
            String name = method.getName();
            if (result instanceof CallableStatement statement && name.equals("prepareCall")) {
              return statement(CallableStatement.class, statement, (Connection) proxy, args, lines);
            }
            if (result instanceof PreparedStatement statement && name.equals("prepareStatement")) {
              return statement(PreparedStatement.class, statement, (Connection) proxy, args, lines);
            }
            if (result instanceof Statement statement && name.equals("createStatement")) {
              return statement(Statement.class, statement, (Connection) proxy, null, lines);
            }
            return result;
          }
        });
  }

  private static <T extends Statement> T statement(
      Class<T> type,
      T target,
      Connection connection,
      Object[] prepareArgs,
      Consumer<String> lines) {
    String preparedSql = prepareArgs == null ? null : (String) prepareArgs[0];
    return proxy(type, new StatementWrapper(target, connection, preparedSql, lines));
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(
        Proxy.newProxyInstance(SqlLog.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** SQL on one line: line breaks and runs of spaces become one space. */
  static String oneLine(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /** The parts every wrapper shares: object methods answered here, the rest passed on. */
  private abstract static class Wrapper implements InvocationHandler {

    final Object target;

    Wrapper(Object target) {
      this.target = target;
    }

    @Override
    public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "logged " + target;
        };
      }
      return call(proxy, method, args);
    }

    abstract Object call(Object proxy, Method method, Object[] args) throws Throwable;

    /** Calls the wrapped object, and throws what it throws rather than a reflection wrapper. */
    final Object forward(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /** Logs each execution of one statement, remembering what it needs to say so. */
  private static final class StatementWrapper extends Wrapper {

    private final Connection connection;
    private final String preparedSql;
    private final Consumer<String> lines;
    private final Map<Integer, Object> parameters = new TreeMap<>();
    private final List<String> batchSql = new ArrayList<>();
    private int batchSize;

    StatementWrapper(
        Statement target, Connection connection, String preparedSql, Consumer<String> lines) {
      super(target);
      this.connection = connection;
      this.preparedSql = preparedSql;
      this.lines = lines;
    }

    @Override
    Object call(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      int arity = args == null ? 0 : args.length;
      if (name.startsWith("set") && arity >= 2 && args[0] instanceof Integer index) {
        parameters.put(index, args[1]);
      } else if (name.equals("clearParameters")) {
        parameters.clear();
      } else if (name.equals("addBatch")) {
        batched(arity == 0 ? null : (String) args[0]);
      } else if (name.equals("clearBatch")) {
        batchSql.clear();
        batchSize = 0;
      } else if (name.equals("getConnection")) {
        return connection;
      } else if (name.startsWith("execute")) {
        log(name, arity == 0 ? null : (String) args[0]);
      }
      return forward(method, args);
    }

    private void batched(String sql) {
      if (sql != null) {
        batchSql.add(sql);
      }
      batchSize++;
    }

    private void log(String method, String sql) {
      if (method.endsWith("Batch")) {
        logBatch();
      } else if (sql != null) {
        lines.accept(PREFIX + oneLine(sql));
      } else {
        lines.accept(PREFIX + oneLine(preparedSql) + parameterText());
      }
    }

    private void logBatch() {
      if (batchSize == 0) {
        return; // nothing is sent to the database
      }
      if (preparedSql != null) {
        lines.accept(PREFIX + oneLine(preparedSql) + " [batch of " + batchSize + "]");
      } else {
        batchSql.forEach(sql -> lines.accept(PREFIX + oneLine(sql) + " [in a batch]"));
      }
      batchSql.clear();
      batchSize = 0;
    }

    private String parameterText() {
      if (parameters.isEmpty()) {
        return "";
      }
      StringJoiner text = new StringJoiner(", ", " [", "]");
      parameters.values().forEach(value -> text.add(oneLine(quoted(value))));
      return text.toString();
    }

    private static String quoted(Object value) {
      return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
  }
}
