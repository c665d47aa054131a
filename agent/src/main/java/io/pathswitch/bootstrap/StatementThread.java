package io.pathswitch.bootstrap;

import java.util.Arrays;

/**
 * What one thread knows about its JDBC statements while it is inside switched calls: the calls open
 * on it, how deep it is inside statement executions (so that a pool's proxy delegating to the
 * driver counts once), the SQL of statements prepared during the calls, and the shapes run.
 *
 * <p>Not thread-safe: one per thread, reached through {@link Statements}. It holds statements only
 * while a switched call is open on the thread, and at most {@link #REMEMBERED} of them.
 */
public final class StatementThread {

  /** The outermost nesting levels of switched calls whose statement shapes are told apart. */
  static final int TRACKED_CALLS = 4;

  /** Statements prepared during the current calls whose SQL is remembered, the latest first. */
  static final int REMEMBERED = 16;

  private static final int CACHED_HASHES = 8;
  private static final long UNKNOWN = 0x9E3779B97F4A7C15L;

  int calls;
  private int depth;
  private long count;
  private long[] marks = new long[TRACKED_CALLS];
  private final CallStatements[] tracked = new CallStatements[TRACKED_CALLS];
  private final CallStatements untracked = new CallStatements();

  private final Object[] preparedStatements = new Object[REMEMBERED];
  private final String[] preparedSql = new String[REMEMBERED];
  private int preparedNext;
  private boolean anyPrepared;

  private final String[] hashedSql = new String[CACHED_HASHES];
  private final long[] hashes = new long[CACHED_HASHES];
  private int hashedNext;

  private Object outerStatement;
  private String outerSql;

  StatementThread() {}

  long begin() {
    int level = calls++;
    if (level == marks.length) {
      marks = Arrays.copyOf(marks, level * 2);
    }
    marks[level] = count;
    if (level < TRACKED_CALLS) {
      if (tracked[level] == null) {
        tracked[level] = new CallStatements();
      }
      tracked[level].open();
    }
    return level;
  }

  /** Ends the call at {@code level} and any left open inside it; null when it ended before. */
  CallStatements end(int level) {
    if (level >= calls) {
      return null;
    }
    calls = level;
    CallStatements call = level < TRACKED_CALLS ? tracked[level] : untracked;
    if (level >= TRACKED_CALLS) {
      call.open();
    }
    call.close(count - marks[level]);
    if (level == 0) {
      depth = 0;
      outerStatement = null;
      outerSql = null;
      forgetPrepared();
    }
    return call;
  }

  /** A statement execution begins; the outermost one counts. */
  void enter(Object statement, Object sql) {
    if (depth++ == 0) {
      count++;
      outerStatement = statement;
      outerSql = sqlOf(statement, sql);
    } else if (outerSql == null) {
      outerSql = sqlOf(statement, sql);
    }
  }

  /** A statement execution ends; when the outermost one does, its shape is counted. */
  void exit() {
    if (depth == 0 || --depth > 0) {
      return;
    }
    String sql = outerSql;
    long hash;
    String unknownClass = null;
    if (sql != null) {
      hash = hashOf(sql);
    } else {
      hash = System.identityHashCode(outerStatement) * UNKNOWN;
      unknownClass = outerStatement == null ? "?" : outerStatement.getClass().getName();
    }
    int levels = Math.min(calls, TRACKED_CALLS);
    for (int i = 0; i < levels; i++) {
      tracked[i].add(hash, sql, unknownClass);
    }
    outerStatement = null;
    outerSql = null;
  }

  void prepared(Object statement, String sql) {
    preparedStatements[preparedNext] = statement;
    preparedSql[preparedNext] = sql;
    preparedNext = (preparedNext + 1) % REMEMBERED;
    anyPrepared = true;
  }

  private String sqlOf(Object statement, Object sql) {
    if (sql instanceof String) {
      return (String) sql;
    }
    for (int i = 0; i < REMEMBERED; i++) {
      if (preparedStatements[i] == statement) {
        return preparedSql[i];
      }
    }
    return null;
  }

  private long hashOf(String sql) {
    for (int i = 0; i < CACHED_HASHES; i++) {
      if (hashedSql[i] == sql) {
        return hashes[i];
      }
    }
    long hash = StatementShapes.hash(sql);
    hashedSql[hashedNext] = sql;
    hashes[hashedNext] = hash;
    hashedNext = (hashedNext + 1) % CACHED_HASHES;
    return hash;
  }

  /** Most calls prepare nothing, and then their end clears nothing. */
  private void forgetPrepared() {
    if (!anyPrepared) {
      return;
    }
    anyPrepared = false;
    Arrays.fill(preparedStatements, null);
    Arrays.fill(preparedSql, null);
    preparedNext = 0;
  }
}
