package io.zproc.internal.child;

import io.zproc.ContextTask;
import io.zproc.ProcessExit;
import io.zproc.ProcessTask;
import io.zproc.RemoteException;
import io.zproc.ZProcOptions;
import io.zproc.internal.Json;
import io.zproc.internal.client.ClientContext;
import io.zproc.internal.map.MapFrames;
import io.zproc.internal.map.MapWorkerMain;
import io.zproc.internal.process.ChildConnection;
import io.zproc.internal.process.ChildPipe;
import io.zproc.internal.process.FrameOut;
import io.zproc.internal.process.Launcher;
import io.zproc.internal.process.TaskFrame;
import io.zproc.rsocket.BlockedCaller;
import io.zproc.rsocket.WireClient;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The child JVM's main: reads its header and task from stdin, connects to the state server, runs
 * the task and sends the outcome on stdout, then says whether it can run another task ({@link
 * ChildPipe#NEXT}, judged by {@link TaskScope}). A JVM the parent keeps waits for its next task on
 * a fresh connection; the parent ends any other as soon as its outcome is in. Exits at once when
 * stdin closes (the parent died), or cleanly if it was waiting for a task.
 */
public final class ChildMain {
  private static final java.time.Duration EXIT_GRACE = java.time.Duration.ofMillis(500);
  private static volatile boolean taskStarted;

  /** What {@link #run} returns when the task returned a value (its exit status is 0). */
  private static final int RETURNED = -1;

  /** The heap in use above which a reused JVM collects before it waits for its next task. */
  private static final long COLLECT_ABOVE = 32L << 20;

  private ChildMain() {}

  /** Runs the child. */
  public static void main(String[] args) {
    FrameOut out = FrameOut.install();
    DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
    Header header;
    try {
      header = Header.read(in);
    } catch (EOFException e) {
      Runtime.getRuntime().halt(0); // the parent went away before sending anything
      return;
    } catch (IOException e) {
      System.err.println("[zproc child] bad header from parent: " + e);
      Runtime.getRuntime().halt(2);
      return;
    }
    BlockingQueue<TaskFrame> tasks = new LinkedBlockingQueue<>();
    CountDownLatch ack = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try {
                for (; ; ) {
                  int type = in.read();
                  if (type < 0) {
                    break;
                  }
                  if (type == ChildPipe.TASK) {
                    tasks.put(TaskFrame.read(in));
                  } else if (type == ChildPipe.WARM) {
                    SpareWarmUp.allow(in.readInt());
                    tasks.put(TaskFrame.WARM);
                  } else if (type == ChildPipe.ACK) {
                    ack.countDown();
                    // The parent's last word: stop reading, so that no thread waits in a native
                    // read when this JVM exits (its exit would wait 300 ms for that thread).
                    return;
                  } else if (MapFrames.isFrame(type)) {
                    MapWorkerMain.read(type, in);
                  }
                }
              } catch (IOException | InterruptedException e) {
                // fall through: stdin is unusable, the parent is gone
              }
              if (MapWorkerMain.stdinEnded()) {
                return; // a map worker: it leaves when retired, at once if its parent died
              }
              if (!taskStarted) {
                // An idle spare told to go: finish connecting, then close cleanly.
                tasks.add(TaskFrame.POISON);
                return;
              }
              // The parent died (or closed our stdin): a child never outlives its parent.
              Runtime.getRuntime().halt(ack.getCount() == 0 ? 0 : 137);
            },
            "zproc-child-stdin");
    reader.setDaemon(true);
    reader.start();

    ChildConnection ctx = connect(header);
    out.send(header.token, ChildPipe.READY, new byte[0]);
    warmUp(ctx);

    int status;
    try {
      for (; ; ) {
        TaskFrame task =
            SpareWarmUp.untilTask(
                tasks, ctx, header.address, type -> out.send(header.token, type, new byte[0]));
        if (task == TaskFrame.POISON) {
          ctx.close();
          exit(0);
          return;
        }
        taskStarted = true;
        if (task.kind == MapFrames.WORKER_KIND) {
          MapWorkerMain.run(ctx, header.token, out); // serves processMap until stdin closes
          return;
        }
        // the task's state sees changes after the parent's process() call, not after this JVM
        // started
        ctx.renewState(task.cursor);
        TaskScope scope = TaskScope.before();
        status = run(ctx, task, header.token, out);
        String why = status == RETURNED ? scope.whyNotReusable() : "the task did not return";
        status = Math.max(status, 0);
        if (why != null) {
          byte[] reason = why.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          byte[] payload = new byte[1 + reason.length]; // 0, then why (the parent logs it)
          System.arraycopy(reason, 0, payload, 1, reason.length);
          out.send(header.token, ChildPipe.NEXT, payload);
          break;
        }
        // Ready for another task of the same context, if the parent keeps this JVM. The task's
        // connection closes before the parent hears of it, so that nothing the task subscribed to
        // outlives its process; the next task gets a fresh one.
        taskStarted = false;
        ctx.close();
        out.send(header.token, ChildPipe.NEXT, new byte[] {1});
        ctx = connect(header);
        collectIfLarge();
      }
    } catch (InterruptedException e) {
      status = 1;
    }
    try {
      ack.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Only the child that lists its classes for the archive is acknowledged and gets here (it
    // needs a normal exit); the parent ends every other child as soon as its outcome is in.
    ctx.close();
    exit(status);
  }

  /**
   * Connects to the parent's server; ends this JVM (exit code 3) if it cannot. A generous timeout:
   * a child may boot on a machine busy with many others.
   */
  private static ChildConnection connect(Header header) {
    ZProcOptions options =
        ZProcOptions.defaults()
            .namespace(header.namespace)
            .connectTimeout(java.time.Duration.ofSeconds(30));
    if (header.secretKey != null) {
      options = options.secretKey(header.secretKey);
    }
    if (header.tls) {
      options = options.tls(header.tlsTrust == null ? null : Path.of(header.tlsTrust));
    }
    try {
      return ClientContext.connect(header.address, options);
    } catch (RuntimeException e) {
      System.err.println("[zproc child] cannot connect to " + header.address + ": " + e);
      System.err.flush();
      Runtime.getRuntime().halt(3);
      throw e;
    }
  }

  /**
   * After a task, before the JVM waits for another: collects when the task left more than {@link
   * #COLLECT_ABOVE} on the heap, so that a reused JVM idles small.
   */
  private static void collectIfLarge() {
    Runtime runtime = Runtime.getRuntime();
    if (runtime.totalMemory() - runtime.freeMemory() > COLLECT_ABOVE) {
      System.gc();
    }
  }

  /**
   * Ends this JVM at once. The JVM's exit (even {@code halt}) waits up to 300 ms for threads
   * running native code (a thread blocked reading stdin, an event loop in {@code epoll_wait}); by
   * now the stdin reader has stopped (after the acknowledgement, or at the end of stdin), and the
   * event loops are shut down here, so the exit takes 10-20 ms.
   */
  private static void exit(int status) {
    Launcher.noteMapperUse(System.getProperty(Launcher.MAPPER_WANTED), Json.mapperBuilt());
    System.out.flush();
    System.err.flush();
    try {
      WireClient.shutdownEventLoops(EXIT_GRACE);
    } catch (RuntimeException e) {
      // exit anyway, only later
    }
    if (Boolean.getBoolean(Launcher.DUMPING)) {
      System.exit(status); // a normal exit closes the class list it records
    }
    Runtime.getRuntime().halt(status);
  }

  /**
   * While a spare waits for its task, runs once through everything a task's path needs (task
   * deserialization, a state call, result serialization and framing), so that the task itself does
   * not pay for cold code. Builds the value mapper (Jackson data binding, for records and POJOs)
   * only when the class-data archive holds its classes, i.e. when the child that listed the
   * archive's classes used it: from the jars, they would cost a spare a few MB that a task may
   * never need.
   */
  private static void warmUp(ChildConnection ctx) {
    if (Boolean.getBoolean(Launcher.WARM_MAPPER)) {
      try {
        Json.mapper();
        if (Boolean.getBoolean(Launcher.DUMPING)) {
          // Listing classes for an archive with the mapper: a record's way there and back too.
          Json.toType("probe", Json.toTree("probe", new Probe(1, "a")), Probe.class);
        }
      } catch (RuntimeException | LinkageError e) {
        // warming up is best effort; the task will meet the same error, with its context
      }
    }
    try {
      ProcessTask<Object> probe = state -> state.namespace();
      for (int i = 0; i < 20; i++) {
        Object task =
            ChildPipe.deserialize(ChildPipe.serialize(probe), ChildMain.class.getClassLoader());
        Object result = ((ProcessTask<?>) ChildPipe.requireTask(task)).run(ctx.state());
        ChildPipe.frame("warmup", ChildPipe.RESULT, ChildPipe.serialize(result));
        ChildPipe.serialize(RemoteException.of(new IllegalStateException("warm-up")));
      }
      BlockedCaller.blocking(ctx.state().size()).block();
    } catch (Exception e) {
      // warming up is best effort
    }
  }

  /** A value of the kind tasks store: a record (for the class list, see {@link #warmUp}). */
  record Probe(int n, String s) {}

  /**
   * Runs the task and sends its outcome; returns {@link #RETURNED} when it returned a value, else
   * the exit status (1 after an error, a {@link ProcessExit}'s status).
   */
  private static int run(ChildConnection ctx, TaskFrame task, String token, FrameOut out) {
    Object target;
    try {
      target = ChildPipe.deserialize(task.bytes, ChildMain.class.getClassLoader());
    } catch (Exception e) {
      out.send(token, ChildPipe.ERROR, serializeError(e));
      return 1;
    }
    int attempt = 0;
    for (; ; ) {
      attempt++;
      try {
        Object result;
        if (task.kind == ChildPipe.CONTEXT_TASK) {
          result = ((ContextTask<?>) ChildPipe.requireTask(target)).run(ctx);
        } else {
          result = ((ProcessTask<?>) ChildPipe.requireTask(target)).run(ctx.state());
        }
        byte[] bytes;
        try {
          bytes = ChildPipe.serialize(result);
        } catch (IOException e) {
          out.send(
              token,
              ChildPipe.ERROR,
              serializeError(
                  new IllegalStateException(
                      "the task's result of type "
                          + Objects.requireNonNull(result, "serializing null cannot fail")
                              .getClass()
                              .getName()
                          + " is not serializable; return a Serializable value",
                      e)));
          return 1;
        }
        out.send(token, ChildPipe.RESULT, bytes);
        return RETURNED;
      } catch (ProcessExit exit) {
        out.send(token, ChildPipe.EXIT, new byte[] {(byte) exit.status()});
        return exit.status();
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError) {
          throw (VirtualMachineError) t;
        }
        if (task.shouldRetry(t, attempt)) {
          System.err.println(
              "[zproc] task failed (attempt "
                  + attempt
                  + "): "
                  + t
                  + "; retrying in "
                  + task.retryDelayMillis
                  + " ms");
          try {
            Thread.sleep(task.retryDelayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          continue;
        }
        out.send(token, ChildPipe.ERROR, serializeError(t));
        return 1;
      }
    }
  }

  private static byte[] serializeError(Throwable t) {
    try {
      return ChildPipe.serialize(RemoteException.of(t));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + t, e);
    }
  }

  /** The header: who to connect to and how. */
  static final class Header {
    final String address;
    final String namespace;
    final @Nullable String secretKey;
    final String token;
    final boolean tls;
    final @Nullable String tlsTrust;

    Header(
        String address,
        String namespace,
        @Nullable String secretKey,
        String token,
        boolean tls,
        @Nullable String tlsTrust) {
      this.address = address;
      this.namespace = namespace;
      this.secretKey = secretKey;
      this.token = token;
      this.tls = tls;
      this.tlsTrust = tlsTrust;
    }

    static Header read(DataInputStream in) throws IOException {
      String magic = in.readUTF();
      if (!ChildPipe.MAGIC.equals(magic)) {
        throw new IOException("not a zproc header: " + magic);
      }
      String address = in.readUTF();
      String namespace = in.readUTF();
      String key = in.readBoolean() ? in.readUTF() : null;
      String token = in.readUTF();
      boolean tls = in.readBoolean();
      String trust = in.readUTF();
      return new Header(address, namespace, key, token, tls, trust.isEmpty() ? null : trust);
    }
  }
}
