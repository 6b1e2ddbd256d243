package io.zproc.internal.process;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started child JVM: its stdin (header sent), and two pump threads that copy its stdout and
 * stderr to this JVM's {@code System.out} and {@code System.err}, picking out its frames. Frames
 * and the exit go to the listener once one is attached (until then they are held).
 */
public final class Child {
  private static final Logger log = LoggerFactory.getLogger(Child.class);

  /** Receives a child's frames and its exit. Called on the child's pump thread. */
  public interface Listener {
    void frame(String type, byte[] payload);

    void exited(int exitCode);
  }

  /**
   * Everything a child needs to connect: however its parent connected (a TLS parent's children use
   * TLS with the same trust, never a plain connection).
   */
  public record Spec(
      String address,
      String namespace,
      @Nullable String secretKey,
      boolean tls,
      @Nullable String tlsTrust) {}

  final Process process;
  private final DataOutputStream stdin;
  final String token;
  private final List<Object[]> held = new ArrayList<>();
  private @Nullable Listener listener;
  private volatile boolean ready;
  private volatile boolean warming;

  /** Whether this JVM has run warm-up rounds (some or all). */
  private volatile boolean warmedUp;

  /** Whether this JVM warms up while it waits as a spare (see {@code SpareWarmUp}). */
  private volatile boolean warms;

  /** How many tasks were sent to this JVM (a pooled JVM that ran one is no longer fresh). */
  private volatile int tasksSent;

  private final CountDownLatch readyOrGone = new CountDownLatch(1);
  private volatile java.nio.file.@Nullable Path recording;

  /** When the fork began ({@code System.nanoTime()}); set before the pumps start. */
  private long forkedAt;

  /** When the ready signal came; guarded by this. */
  private long readyAt;

  /** Told the boot time once the child is ready; guarded by this. */
  private @Nullable LongConsumer onReady;

  /**
   * The last 2 KiB the child wrote to stderr, for the error when it dies (the JVM's own complaint
   * fits easily).
   */
  private final ByteTail errTail = new ByteTail(2048);

  private volatile @Nullable Thread errPump;

  private Child(Process process, String token) {
    this.process = process;
    this.token = token;
    this.stdin = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
  }

  /**
   * Starts a child JVM and sends its header, with the lean flags or the full-speed ones. Blocks for
   * the fork only.
   *
   * @throws IllegalStateException if the JVM cannot be started
   */
  public static Child start(
      Spec spec, List<String> jvmOptions, Map<String, String> environment, boolean lean) {
    return start(spec, Launcher.command(jvmOptions, lean), environment);
  }

  /** Starts a child JVM with a command line built already (a spare's, say). */
  static Child start(Spec spec, Launcher.Command launch, Map<String, String> environment) {
    List<String> command = launch.args();
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    long forkedAt = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a child JVM (" + command.get(0) + "): " + e, e);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    Child child = new Child(process, token);
    child.forkedAt = forkedAt;
    child.warms = launch.warmsUp();
    child.recording = launch.recording();
    try {
      child.stdin.writeUTF(ChildPipe.MAGIC);
      child.stdin.writeUTF(spec.address());
      child.stdin.writeUTF(spec.namespace());
      child.stdin.writeBoolean(spec.secretKey() != null);
      if (spec.secretKey() != null) {
        child.stdin.writeUTF(spec.secretKey());
      }
      child.stdin.writeUTF(token);
      child.stdin.writeBoolean(spec.tls());
      child.stdin.writeUTF(spec.tlsTrust() == null ? "" : spec.tlsTrust());
      child.stdin.flush();
    } catch (IOException e) {
      process.destroyForcibly();
      throw new IllegalStateException("cannot talk to the child JVM it just started: " + e, e);
    }
    child.errPump = child.pump(process.getErrorStream(), false);
    child.pump(process.getInputStream(), true);
    return child;
  }

  public long pid() {
    return process.pid();
  }

  boolean isReady() {
    return ready;
  }

  /** Whether this JVM warms up while it waits as a spare. */
  boolean warms() {
    return warms;
  }

  /**
   * Lets this JVM, back in the pool after its task, warm up with {@code rounds} rounds while it
   * waits (once per JVM); it has taken a configured spare's place.
   */
  synchronized void allowWarmUp(int rounds) {
    warms = true;
    try {
      stdin.writeByte(ChildPipe.WARM);
      stdin.writeInt(rounds);
      stdin.flush();
    } catch (IOException e) {
      log.debug("child {} is gone before it could warm up", pid(), e);
    }
  }

  /** Whether this JVM has run warm-up rounds, some or all: its state calls run compiled. */
  boolean warmedUp() {
    return warmedUp;
  }

  /** Whether no task was ever sent to this JVM. */
  boolean isFresh() {
    return tasksSent == 0;
  }

  /** Whether this spare is warming up now (a task sent to it waits for the call in flight). */
  boolean isWarming() {
    return warming;
  }

  /**
   * Waits until the child has connected (or died), at most {@code millis}; for the spare pool,
   * which boots one JVM at a time. Blocks: call on a thread that may.
   *
   * @return whether it is ready
   */
  boolean awaitReady(long millis) throws InterruptedException {
    readyOrGone.await(millis, TimeUnit.MILLISECONDS);
    return ready;
  }

  /**
   * Tells {@code bootNanos} how long the child took from its fork to its ready signal, once it is
   * ready (at once if it already is); never if it dies first. Called on the child's output thread.
   */
  void whenReady(LongConsumer bootNanos) {
    long took;
    synchronized (this) {
      if (readyAt == 0) {
        onReady = bootNanos;
        return;
      }
      took = readyAt - forkedAt;
    }
    bootNanos.accept(took);
  }

  /** Whether this child lists its classes for the class-data archive (it must exit normally). */
  boolean isRecording() {
    return recording != null;
  }

  /** Attaches the listener; frames and an exit that arrived before it are delivered now. */
  public void attach(Listener l) {
    List<Object[]> pending;
    synchronized (this) {
      listener = l;
      pending = new ArrayList<>(held);
      held.clear();
    }
    for (Object[] event : pending) {
      if (event.length == 1) {
        l.exited((Integer) event[0]);
      } else {
        l.frame((String) event[0], (byte[]) event[1]);
      }
    }
  }

  /** Sends the task. */
  public synchronized void sendTask(
      byte kind,
      long cursor,
      int maxRetries,
      long retryDelayMillis,
      List<String> retryFor,
      byte[] task)
      throws IOException {
    tasksSent++;
    stdin.writeByte(ChildPipe.TASK);
    stdin.writeByte(kind);
    stdin.writeLong(cursor);
    stdin.writeInt(maxRetries);
    stdin.writeLong(retryDelayMillis);
    stdin.writeInt(retryFor.size());
    for (String type : retryFor) {
      stdin.writeUTF(type);
    }
    stdin.writeInt(task.length);
    stdin.write(task);
    stdin.flush();
  }

  /** Writes frames encoded by the caller (a map worker's batches) and flushes. */
  public synchronized void write(byte[] frames) throws IOException {
    write(frames, 0, frames.length);
  }

  /** Writes {@code frames[off .. off + len)} (a map worker's batches) and flushes. */
  public synchronized void write(byte[] frames, int off, int len) throws IOException {
    stdin.write(frames, off, len);
    stdin.flush();
  }

  /** Acknowledges the child's outcome: it may exit now. */
  synchronized void ack() {
    try {
      stdin.writeByte(ChildPipe.ACK);
      stdin.flush();
    } catch (IOException e) {
      log.debug("child {} is gone before its acknowledgement", pid(), e);
    }
  }

  public void kill() {
    process.destroyForcibly();
  }

  /**
   * Tells an idle child to go: closes its stdin, so it finishes connecting and closes cleanly;
   * kills it if it is still there after a grace period.
   */
  public void retire() {
    try {
      synchronized (this) {
        stdin.close();
      }
    } catch (IOException e) {
      log.debug("child {} stdin already closed", pid(), e);
    }
    process
        .onExit()
        .orTimeout(30, TimeUnit.SECONDS)
        .whenComplete(
            (p, e) -> {
              if (e != null) {
                process.destroyForcibly();
              }
            });
  }

  void deliverFrame(String type, byte[] payload) {
    if (ChildPipe.WARMING.equals(type) || ChildPipe.WARMED.equals(type)) {
      warming = ChildPipe.WARMING.equals(type);
      warmedUp = true;
      return; // for the pool only, never the process's listener
    }
    if (ChildPipe.READY.equals(type)) {
      LongConsumer tell;
      long took;
      synchronized (this) {
        readyAt = System.nanoTime();
        took = readyAt - forkedAt;
        tell = onReady;
        onReady = null;
      }
      // told before it counts as ready: a spare seen ready has its boot recorded
      if (tell != null) {
        tell.accept(took);
      }
      ready = true;
      readyOrGone.countDown();
    }
    Listener l;
    synchronized (this) {
      l = listener;
      if (l == null) {
        held.add(new Object[] {type, payload});
        return;
      }
    }
    l.frame(type, payload);
  }

  private void deliverExit(int code) {
    readyOrGone.countDown();
    Listener l;
    synchronized (this) {
      l = listener;
      if (l == null) {
        held.add(new Object[] {code});
        return;
      }
    }
    l.exited(code);
  }

  /**
   * The end of what the child wrote to stderr (trimmed, at most 2 KiB): a JVM that refuses its
   * command line says why there. Complete once the child's exit has been delivered.
   */
  public String lastErrorOutput() {
    return errTail.text();
  }

  /** Waits at most {@code millis} for the JVM to exit; true if it has. */
  public boolean waitFor(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until the child has exited and its stderr is read to the end (at most {@code millis} for
   * the latter): {@link #lastErrorOutput()} then holds its last words.
   */
  int awaitExit(long millis) throws InterruptedException {
    int code = process.waitFor();
    Thread err = errPump;
    if (err != null) {
      err.join(millis);
    }
    return code;
  }

  private Thread pump(InputStream from, boolean isStdout) {
    Thread thread =
        new Thread(
            () -> {
              try {
                if (isStdout) {
                  new OutputPump(this).stdout(from);
                } else {
                  OutputPump.stderr(from, errTail);
                }
              } catch (IOException e) {
                log.debug("child {} output closed", pid(), e);
              }
              if (isStdout) {
                int code;
                try {
                  code = awaitExit(1000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  code = -1;
                }
                java.nio.file.Path classList = recording;
                if (classList != null) {
                  Launcher.recorded(classList, code);
                }
                deliverExit(code);
              }
            },
            "zproc-child-" + pid() + (isStdout ? "-out" : "-err"));
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
