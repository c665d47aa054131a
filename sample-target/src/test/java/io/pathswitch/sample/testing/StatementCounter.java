package io.pathswitch.sample.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that counts the statements run through it: every {@code execute*} call on a
 * statement it handed out. The tests' own wrapper, independent of the application's SqlLog, so a
 * bug there cannot hide a wrong count here.
 */
public final class StatementCounter {

  private final AtomicInteger executions = new AtomicInteger();
  private final DataSource dataSource;

  public StatementCounter(DataSource target) {
    this.dataSource = proxy(DataSource.class, target);
  }

  /** The counting data source. */
  public DataSource dataSource() {
    return dataSource;
  }

  public int count() {
    return executions.get();
  }

  public void reset() {
    executions.set(0);
  }

  private <T> T proxy(Class<T> type, Object target) {
    InvocationHandler handler = (proxy, method, args) -> invoke(target, method, args);
    return type.cast(
        Proxy.newProxyInstance(getClass().getClassLoader(), interfacesOf(type, target), handler));
  }

  /** Statements keep their own interface (Prepared, Callable) so casts in the code still work. */
  private static Class<?>[] interfacesOf(Class<?> type, Object target) {
    if (type != Statement.class) {
      return new Class<?>[] {type};
    }
    for (Class<?> candidate :
        new Class<?>[] {
          java.sql.CallableStatement.class, java.sql.PreparedStatement.class, Statement.class
        }) {
      if (candidate.isInstance(target)) {
        return new Class<?>[] {candidate};
      }
    }
    throw new IllegalStateException("not a statement: " + target);
  }

  private Object invoke(Object target, Method method, Object[] args) throws Throwable {
    if (target instanceof Statement && method.getName().startsWith("execute")) {
      executions.incrementAndGet();
    }
    Object result;
    try {
      result = method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (result instanceof Connection connection) {
      return proxy(Connection.class, connection);
    }
    if (result instanceof Statement statement && !(target instanceof Statement)) {
      return proxy(Statement.class, statement);
    }
    return result;
  }
}
