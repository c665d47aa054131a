package io.pathswitch.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Load for the reliability tests, run inside the JVM under test so that nothing between the callers
 * and the switch blurs the counts. Threads call {@link Work#compute} while a flipper changes the
 * switch's flags through the platform MBeanServer, as JConsole would; the unified path fails on
 * every tenth argument. At the end it prints one line {@code done key=value …} with its own counts
 * and the agent's, then waits for a line on standard input before it exits, so that a test can read
 * the agent's counts over JMX too.
 *
 * <ul>
 *   <li>{@code LoadApp flags <calls> <threads>}: the flipper sets Percentage and Mode every
 *       millisecond, and Enabled too. Enabled is set under the write side of a read-write lock
 *       whose read side every call holds, so each call knows whether the switch was on when it ran:
 *       the agent counts only those (an off switch's calls run the original code untouched).
 *   <li>{@code LoadApp attach <threads>}: calls run until a line {@code stop} arrives; the agent is
 *       attached and detached from outside meanwhile, and the flipper sets Percentage and Mode
 *       whenever the switch's bean is there. A line {@code mark}, sent after a detach, waits until
 *       every caller has finished the call it was in, prints how often the unified path has run,
 *       and lets 100,000 more calls run, so a test can tell that the unified path stays idle.
 * </ul>
 */
public final class LoadApp {

  static final String SWITCH = "io.pathswitch:type=Switch,name=load";
  private static final String[] MODES = {"divert", "shadow", "live"};

  private final int threads;
  private final ReadWriteLock enabledLock = new ReentrantReadWriteLock();
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName bean;
  private final LongAdder calls = new LongAdder();
  private final AtomicLongArray progress;
  private final LongAdder callsWhileOn = new LongAdder();
  private final LongAdder correct = new LongAdder();
  private final LongAdder exceptions = new LongAdder();
  private final AtomicLong flips = new AtomicLong();
  private final AtomicLong flipsRefused = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile boolean enabled = true;
  private volatile String firstException = "none";

  private LoadApp(int threads) throws Exception {
    this.threads = threads;
    this.progress = new AtomicLongArray(threads);
    this.bean = new ObjectName(SWITCH);
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (args[0].equals("flags")) {
      new LoadApp(Integer.parseInt(args[2])).flags(Long.parseLong(args[1]), in);
    } else {
      new LoadApp(Integer.parseInt(args[1])).attach(in);
    }
    in.readLine();
  }

  private void flags(long total, BufferedReader in) throws Exception {
    while (!server.isRegistered(bean)) {
      Thread.onSpinWait();
    }
    server.setAttribute(bean, new Attribute("Enabled", true));
    System.out.println("ready");

    long started = System.nanoTime();
    List<Thread> callers = callers(total / threads, true);
    ScheduledExecutorService flipper = flipper(true);
    boolean finished = join(callers, 120);
    flipper.shutdown();
    flipper.awaitTermination(10, TimeUnit.SECONDS);
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    report(finished, elapsedMillis);
  }

  private void attach(BufferedReader in) throws Exception {
    System.out.println("ready");

    long started = System.nanoTime();
    List<Thread> callers = callers(Long.MAX_VALUE, false);
    ScheduledExecutorService flipper = flipper(false);
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      if (line.equals("mark")) {
        mark();
      }
    }
    stop.set(true);
    boolean finished = join(callers, 60);
    flipper.shutdown();
    flipper.awaitTermination(10, TimeUnit.SECONDS);
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    report(finished, elapsedMillis);
  }

  /**
   * After a detach: waits until every caller has finished the call it was in (a call that read its
   * route before the detach still takes the path it was given), prints how often the unified path
   * has run, then lets 100,000 more calls run.
   */
  private void mark() {
    long[] before = new long[progress.length()];
    for (int t = 0; t < before.length; t++) {
      before[t] = progress.get(t);
    }
    for (int t = 0; t < before.length; t++) {
      while (progress.get(t) <= before[t] + 1) {
        Thread.onSpinWait();
      }
    }
    long settled = Work.unifiedRuns.sum();
    long marked = calls.sum();
    while (calls.sum() < marked + 100_000) {
      Thread.onSpinWait();
    }
    System.out.println("mark unifiedRuns=" + settled);
  }

  private List<Thread> callers(long perThread, boolean guardEnabled) {
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long first = t * 1_000_000_000L;
      int index = t;
      Thread caller = new Thread(() -> call(index, first, perThread, guardEnabled), "caller-" + t);
      caller.start();
      callers.add(caller);
    }
    return callers;
  }

  private void call(int index, long first, long count, boolean guardEnabled) {
    Work work = new Work();
    for (long x = first; x - first < count && !stop.get(); x++) {
      long answer = -1;
      boolean on;
      if (guardEnabled) {
        enabledLock.readLock().lock();
      }
      try {
        on = enabled;
        answer = work.compute(x);
      } catch (Throwable t) {
        on = false;
        if (exceptions.sum() == 0) {
          firstException = t.toString();
        }
        exceptions.increment();
      } finally {
        if (guardEnabled) {
          enabledLock.readLock().unlock();
        }
      }
      calls.increment();
      progress.incrementAndGet(index);
      if (on) {
        callsWhileOn.increment();
      }
      if (answer == 2 * x + 1) {
        correct.increment();
      }
    }
  }

  /** Every millisecond: a percentage, a mode and, in the flags run, whether it is enabled. */
  private ScheduledExecutorService flipper(boolean flipEnabled) {
    ScheduledExecutorService flipper =
        Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "flipper"));
    flipper.scheduleAtFixedRate(() -> flip(flipEnabled), 1, 1, TimeUnit.MILLISECONDS);
    return flipper;
  }

  private void flip(boolean flipEnabled) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try {
      server.setAttribute(bean, new Attribute("Percentage", (double) random.nextInt(101)));
      server.setAttribute(bean, new Attribute("Mode", MODES[random.nextInt(MODES.length)]));
      if (flipEnabled) {
        boolean next = random.nextInt(10) != 0;
        enabledLock.writeLock().lock();
        try {
          server.setAttribute(bean, new Attribute("Enabled", next));
          enabled = next;
        } finally {
          enabledLock.writeLock().unlock();
        }
      }
      flips.incrementAndGet();
    } catch (InstanceNotFoundException detached) {
      flipsRefused.incrementAndGet();
    } catch (Exception e) {
      flipsRefused.incrementAndGet();
      if (flipEnabled) {
        System.out.println("flip failed: " + e);
      }
    }
  }

  private static boolean join(List<Thread> callers, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (Thread caller : callers) {
      caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (caller.isAlive()) {
        return false;
      }
    }
    return true;
  }

  private void report(boolean finished, long elapsedMillis) throws Exception {
    if (!finished) {
      System.out.println("stuck: the callers did not finish; threads:");
      for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        System.out.print(info);
      }
    }
    long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("finished", finished);
    figures.put("elapsedMillis", elapsedMillis);
    figures.put("calls", calls.sum());
    figures.put("callsWhileOn", callsWhileOn.sum());
    figures.put("correct", correct.sum());
    figures.put("exceptions", exceptions.sum());
    figures.put("deadlocked", deadlocked == null ? 0 : deadlocked.length);
    figures.put("flips", flips.get());
    figures.put("flipsRefused", flipsRefused.get());
    figures.put("legacyRuns", Work.legacyRuns.sum());
    figures.put("unifiedRuns", Work.unifiedRuns.sum());
    figures.put("unifiedFailures", Work.unifiedFailures.sum());
    for (String attribute :
        List.of("LegacyCalls", "UnifiedCalls", "FallbackCalls", "ShadowCalls", "UnifiedErrors")) {
      figures.put(attribute, server.isRegistered(bean) ? server.getAttribute(bean, attribute) : -1);
    }
    StringBuilder line = new StringBuilder("done");
    figures.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
    System.out.println(line);
    System.out.println("firstException: " + firstException);
  }

  /** The switched method: both paths give the same answer; the unified one fails on x % 10 == 0. */
  public static final class Work {

    static final LongAdder legacyRuns = new LongAdder();
    static final LongAdder unifiedRuns = new LongAdder();
    static final LongAdder unifiedFailures = new LongAdder();

    public long compute(long x) {
      legacyRuns.increment();
      return 2 * x + 1;
    }

    public long computeUnified(long x) {
      unifiedRuns.increment();
      if (x % 10 == 0) {
        unifiedFailures.increment();
        throw new IllegalStateException("the unified path fails for " + x);
      }
      return 2 * x + 1;
    }
  }
}
