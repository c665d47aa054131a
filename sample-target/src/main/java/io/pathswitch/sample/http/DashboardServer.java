package io.pathswitch.sample.http;

import com.sun.net.httpserver.HttpServer;
import io.pathswitch.sample.dashboard.DashboardService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample's HTTP API on the JDK's own server. The port is bound first and served later, so a
 * port in use is reported before any data is generated.
 *
 * <p>Thread-safe; requests are handled on a small pool of threads.
 */
public final class DashboardServer implements AutoCloseable {

  private static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService executor;

  private DashboardServer(HttpServer server) {
    this.server = server;
    this.executor = Executors.newFixedThreadPool(THREADS, new NamedThreads());
  }

  /**
   * Binds the address without serving yet.
   *
   * @throws java.net.BindException when the port is in use
   */
  public static DashboardServer bind(InetSocketAddress address) throws IOException {
    return new DashboardServer(HttpServer.create(address, 0));
  }

  /** Starts serving the API over {@code service}; handler failures are reported on console. */
  public void start(DashboardService service, PrintStream console) {
    server.createContext("/", new Api(service, console));
    server.setExecutor(executor);
    server.start();
  }

  /** The bound port, which is the one asked for unless that was 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops at once. On Java 17 {@code HttpServer.stop(delay)} waits the whole delay even when no
   * exchange is open (JDK-8304065, fixed in JDK 25 and 21u), so a delay would only slow every
   * shutdown.
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class NamedThreads implements ThreadFactory {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "sample-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
