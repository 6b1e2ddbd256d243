package io.zproc.internal.process;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Base64;
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

  private void deliverFrame(String type, byte[] payload) {
    if (ChildPipe.WARMING.equals(type) || ChildPipe.WARMED.equals(type)) {
      warming = ChildPipe.WARMING.equals(type);
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
                  pumpStdout(from);
                } else {
                  pumpStderr(from);
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

  /**
   * Copies the user's output through; collects frame lines (they start with 0x1E). After a map
   * worker's {@link ChildPipe#BINARY} frame, reads binary frames instead (see {@link #pumpBinary}).
   */
  private void pumpStdout(InputStream from) throws IOException {
    byte[] buffer = new byte[8192];
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    boolean lineStart = true;
    boolean inFrame = false;
    int n;
    while ((n = from.read(buffer)) >= 0) {
      PrintStream out = System.out;
      int plainStart = -1;
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (inFrame) {
          if (b == '\n') {
            inFrame = false;
            lineStart = true;
            boolean binary = handleFrameLine(frame.toByteArray());
            frame.reset();
            if (binary) {
              out.flush();
              pumpBinary(
                  new SequenceInputStream(
                      new ByteArrayInputStream(buffer, i + 1, n - i - 1), from));
              return;
            }
          } else {
            frame.write(b);
          }
          continue;
        }
        if (lineStart && b == ChildPipe.FRAME_START) {
          if (plainStart >= 0) {
            out.write(buffer, plainStart, i - plainStart);
            plainStart = -1;
          }
          inFrame = true;
          frame.write(b);
          continue;
        }
        if (plainStart < 0) {
          plainStart = i;
        }
        lineStart = b == '\n';
      }
      if (plainStart >= 0) {
        out.write(buffer, plainStart, n - plainStart);
      }
      out.flush();
    }
  }

  /** Handles a frame line; true if it says that binary frames follow. */
  private boolean handleFrameLine(byte[] line) {
    String[] parsed = ChildPipe.parseFrame(line, line.length, token);
    if (parsed == null) {
      System.out.println(new String(line, java.nio.charset.StandardCharsets.ISO_8859_1));
      return false;
    }
    if (ChildPipe.BINARY.equals(parsed[0])) {
      return true;
    }
    deliverFrame(parsed[0], Base64.getDecoder().decode(parsed[1]));
    return false;
  }

  /**
   * A map worker's stdout: binary frames ({@link ChildPipe}); print frames go to this JVM's {@code
   * System.out}, outcomes to the listener. A line where a frame should start (the JVM's own log
   * output) is copied through. A frame with an impossible length is handed on as an empty outcome
   * (the pool kills a worker that sends a bad one), and the rest of the stream is skipped.
   */
  private void pumpBinary(InputStream from) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(from, 1 << 16));
    int first;
    while ((first = in.read()) >= 0) {
      if (first != ChildPipe.MARK) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = first; b >= 0; b = in.read()) {
          line.write(b);
          if (b == '\n') {
            break;
          }
        }
        PrintStream out = System.out;
        out.write(line.toByteArray(), 0, line.size());
        out.flush();
        continue;
      }
      int type = in.readByte();
      int length = in.readInt();
      if (length < 0 || length > ChildPipe.MAX_FRAME) {
        deliverFrame(ChildPipe.OUTCOME, new byte[0]);
        in.transferTo(OutputStream.nullOutputStream());
        return;
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (type == ChildPipe.PRINT_TYPE) {
        PrintStream out = System.out;
        out.write(payload, 0, length);
        out.flush();
      } else {
        deliverFrame(ChildPipe.OUTCOME, payload);
      }
    }
  }

  private void pumpStderr(InputStream from) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      errTail.add(buffer, n);
      PrintStream err = System.err;
      err.write(buffer, 0, n);
      err.flush();
    }
  }
}
