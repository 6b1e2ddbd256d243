package io.zproc.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.zproc.ZProc;
import io.zproc.ZProcess;
import io.zproc.rsocket.internal.SocketFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Reliability under repetition: no hang, no lost result, nothing left behind.
 *
 * <p>Run by hand (excluded from the default build): {@code mvn -B -pl reactor-zproc -Pstress test}.
 * Sizes: {@code -Dzproc.stress.contexts=1000} (contexts started and closed) and {@code
 * -Dzproc.stress.processes=1000} (child JVMs). Progress and timings go to the test's output ({@code
 * target/surefire-reports/io.zproc.stress.ProcessStressTest-output.txt}).
 */
@Tag("stress")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessStressTest {
  private static final int CONTEXTS = Integer.getInteger("zproc.stress.contexts", 1000);
  private static final int PROCESSES = Integer.getInteger("zproc.stress.processes", 1000);

  /** Contexts the processes are spread over. */
  private static final int PROCESS_CONTEXTS = 4;

  /** Processes under way at once. */
  private static final int CONCURRENCY = 4;

  /** One context's start, put/get round trip and close. */
  private static final Duration ITERATION_TIMEOUT = Duration.ofSeconds(30);

  /** One process's result, from its start. */
  private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);

  /** How long children may take to go after their contexts closed. */
  private static final Duration CHILDREN_GONE_TIMEOUT = Duration.ofSeconds(30);

  @Test
  @Order(1)
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void contexts_startRoundTripClose_noHang() throws Exception {
    ExecutorService runner = Executors.newSingleThreadExecutor(daemon("stress-contexts"));
    int threadsBefore = Thread.activeCount();
    long fdsBefore = openFileDescriptors();
    Set<Path> socketsLeft = ConcurrentHashMap.newKeySet();
    long started = System.nanoTime();
    long slowest = 0;
    int slowestIteration = -1;
    try {
      for (int i = 0; i < CONTEXTS; i++) {
        int iteration = i;
        long t0 = System.nanoTime();
        Future<Object> round =
            runner.submit(
                () -> {
                  Object read;
                  Path socket;
                  try (ZProc ctx = ZProc.start()) {
                    socket = socketFile(ctx.address());
                    ctx.state().put("iteration", iteration).block(ITERATION_TIMEOUT);
                    read = ctx.state().get("iteration").block(ITERATION_TIMEOUT);
                  }
                  if (Files.exists(socket)) {
                    socketsLeft.add(socket); // removed asynchronously: checked again at the end
                  }
                  return read;
                });
        Object got;
        try {
          got = round.get(ITERATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          round.cancel(true);
          throw new AssertionError(
              "iteration "
                  + iteration
                  + " of "
                  + CONTEXTS
                  + " hung: start, put/get and close took over "
                  + ITERATION_TIMEOUT.toSeconds()
                  + " s\n"
                  + threadDump(),
              e);
        } catch (ExecutionException e) {
          throw new AssertionError(
              "iteration " + iteration + " of " + CONTEXTS + " failed: " + e.getCause(),
              e.getCause());
        }
        assertThat(got).as("what iteration %d read back", iteration).isEqualTo(iteration);
        long took = System.nanoTime() - t0;
        if (took > slowest) {
          slowest = took;
          slowestIteration = iteration;
        }
        if ((i + 1) % 100 == 0 || i + 1 == CONTEXTS) {
          System.out.printf(
              "contexts: %d/%d in %d ms; %d threads, %d fds%n",
              i + 1, CONTEXTS, millisSince(started), Thread.activeCount(), openFileDescriptors());
        }
      }
    } finally {
      runner.shutdownNow();
    }
    long total = millisSince(started);
    System.out.printf(
        "contexts: %d started and closed in %d ms (%.1f ms each, slowest %d ms at iteration %d)%n",
        CONTEXTS, total, (double) total / CONTEXTS, slowest / 1_000_000, slowestIteration);

    // Nothing piles up: threads and file descriptors stay bounded, no socket file is left.
    Set<Path> leftSockets = awaitGone(socketsLeft);
    System.gc();
    Thread.sleep(500);
    int threadsAfter = Thread.activeCount();
    long fdsAfter = openFileDescriptors();
    System.out.printf(
        "contexts: threads %d -> %d, fds %d -> %d, socket files left %s%n",
        threadsBefore, threadsAfter, fdsBefore, fdsAfter, leftSockets);
    assertThat(leftSockets).as("unix socket files left behind by closed servers").isEmpty();
    assertThat(threadsAfter)
        .as("live threads after %d contexts", CONTEXTS)
        .isLessThan(threadsBefore + 64);
    if (fdsBefore >= 0) {
      assertThat(fdsAfter)
          .as("open file descriptors after %d contexts", CONTEXTS)
          .isLessThan(fdsBefore + 128);
    }
  }

  @Test
  @Order(2)
  @Timeout(value = 120, unit = TimeUnit.MINUTES)
  void processes_everyResultExactlyOnce_noChildLeft() throws Exception {
    Set<Long> childrenBefore = descendants();
    List<ZProc> contexts = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY, daemon("stress-processes"));
    Map<Integer, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    Failures failures = new Failures();
    AtomicInteger done = new AtomicInteger();
    AtomicLong slowest = new AtomicLong();
    long started = System.nanoTime();
    try {
      for (int c = 0; c < PROCESS_CONTEXTS; c++) {
        contexts.add(ZProc.start());
      }
      List<Future<?>> submitted = new ArrayList<>(PROCESSES);
      for (int i = 0; i < PROCESSES; i++) {
        int index = i;
        ZProc ctx = contexts.get(i % PROCESS_CONTEXTS);
        submitted.add(
            workers.submit(
                () -> {
                  long t0 = System.nanoTime();
                  ZProcess<Integer> p = null;
                  try {
                    p =
                        ctx.process(
                            state -> {
                              state.increment("done", 1).block();
                              return index;
                            });
                    Integer result = p.result().block(PROCESS_TIMEOUT);
                    if (result == null) {
                      failures.add(index, "completed empty (pid " + p.pid() + ")");
                    } else {
                      arrivals.computeIfAbsent(result, k -> new AtomicInteger()).incrementAndGet();
                      if (result != index) {
                        failures.add(index, "returned " + result + " (pid " + p.pid() + ")");
                      }
                    }
                  } catch (RuntimeException e) {
                    failures.add(
                        index,
                        (p == null ? "did not start" : "pid " + p.pid() + ", alive=" + p.isAlive())
                            + ": "
                            + e);
                  }
                  slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                  int n = done.incrementAndGet();
                  if (n % 50 == 0 || n == PROCESSES) {
                    System.out.printf(
                        "processes: %d/%d in %d ms (%d children alive)%n",
                        n, PROCESSES, millisSince(started), descendants().size());
                  }
                }));
      }
      for (int i = 0; i < submitted.size(); i++) {
        try {
          // each process is bounded by PROCESS_TIMEOUT; this only guards against a stuck start
          submitted.get(i).get(PROCESS_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          fail("process " + i + " neither started nor ended in time\n" + threadDump());
        }
      }
      long took = millisSince(started);
      System.out.printf(
          "processes: %d over %d contexts, %d at a time, in %d ms (%.0f ms each, slowest %d ms)%n",
          PROCESSES,
          PROCESS_CONTEXTS,
          CONCURRENCY,
          took,
          (double) took / PROCESSES,
          slowest.get() / 1_000_000);

      assertThat(failures.list()).as("processes that lost or mixed up their result").isEmpty();
      List<Integer> missing = new ArrayList<>();
      List<Integer> duplicated = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        AtomicInteger n = arrivals.get(i);
        if (n == null) {
          missing.add(i);
        } else if (n.get() != 1) {
          duplicated.add(i);
        }
      }
      assertThat(missing).as("results that never arrived").isEmpty();
      assertThat(duplicated).as("results that arrived more than once").isEmpty();
      assertThat(arrivals).hasSize(PROCESSES);
      for (int c = 0; c < PROCESS_CONTEXTS; c++) {
        int expected = PROCESSES / PROCESS_CONTEXTS + (c < PROCESSES % PROCESS_CONTEXTS ? 1 : 0);
        ZProc ctx = contexts.get(c);
        assertThat(ctx.processes()).as("processes of context %d", c).hasSize(expected);
        assertThat(ctx.state().get("done").block(ITERATION_TIMEOUT))
            .as("increments the children of context %d made", c)
            .isEqualTo(expected);
      }
    } finally {
      workers.shutdownNow();
      long closing = System.nanoTime();
      for (ZProc ctx : contexts) {
        ctx.close();
      }
      System.out.printf(
          "processes: closed %d contexts in %d ms; %d children alive right after%n",
          contexts.size(), millisSince(closing), newChildren(childrenBefore).size());
    }

    // No child JVM outlives its context (spares included).
    long closed = System.nanoTime();
    Set<Long> left = newChildren(childrenBefore);
    while (!left.isEmpty() && System.nanoTime() - closed < CHILDREN_GONE_TIMEOUT.toNanos()) {
      Thread.sleep(100);
      left = newChildren(childrenBefore);
    }
    System.out.printf("processes: every child gone %d ms after close%n", millisSince(closed));
    assertThat(describe(left))
        .as(
            "child JVMs still running %d s after their contexts closed",
            CHILDREN_GONE_TIMEOUT.toSeconds())
        .isEmpty();
  }

  /** Failures by process index. */
  private static final class Failures {
    private final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();

    void add(int index, String what) {
      items.add("process " + index + ": " + what);
    }

    List<String> list() {
      List<String> all = new ArrayList<>(items);
      Collections.sort(all);
      return all;
    }
  }

  private static Set<Long> descendants() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static Set<Long> newChildren(Set<Long> before) {
    Set<Long> now = new HashSet<>(descendants());
    now.removeAll(before);
    return now;
  }

  private static List<String> describe(Set<Long> pids) {
    List<String> out = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> out.add(pid + " " + h.info().commandLine().orElse("(command line unknown)")));
    }
    return out;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** This JVM's open file descriptors (Linux), or -1 where unknown. */
  private static long openFileDescriptors() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (var list = Files.list(fds)) {
      return list.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The unix socket file a tcp:// server listens on beside its port. */
  private static Path socketFile(String address) {
    String port = address.substring(address.lastIndexOf(':') + 1);
    return SocketFiles.localSocket(Integer.parseInt(port));
  }

  /**
   * The files still there after a short grace (a closed server removes its file asynchronously).
   */
  private static Set<Path> awaitGone(Set<Path> files) throws InterruptedException {
    long t0 = System.nanoTime();
    for (; ; ) {
      Set<Path> now = new HashSet<>();
      for (Path f : files) {
        if (Files.exists(f)) {
          now.add(f);
        }
      }
      if (now.isEmpty() || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(5)) {
        return now;
      }
      Thread.sleep(100);
    }
  }

  private static String threadDump() {
    StringBuilder out = new StringBuilder("threads:\n");
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      Thread t = e.getKey();
      out.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
      StackTraceElement[] frames = e.getValue();
      for (int i = 0; i < Math.min(frames.length, 12); i++) {
        out.append("    at ").append(frames[i]).append('\n');
      }
    }
    return out.toString();
  }
}
