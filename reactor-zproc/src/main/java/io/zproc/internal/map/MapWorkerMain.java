package io.zproc.internal.map;

import io.zproc.ZProc;
import io.zproc.internal.process.FrameOut;
import io.zproc.internal.process.Launcher;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that serves {@code processMap}: {@link ChildMain} hands it the map frames read from
 * stdin and, once its task frame says so, its main thread. It runs until stdin closes (the pool
 * retired it, or the parent died), then leaves.
 */
public final class MapWorkerMain {
  private static final Object POISON = new Object();
  private static final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private static final Set<Long> dropped = ConcurrentHashMap.newKeySet();
  private static final CountDownLatch done = new CountDownLatch(1);
  private static volatile boolean active;
  private static volatile boolean quitting;
  private static volatile boolean eof;

  private MapWorkerMain() {}

  /** Reads a map frame from stdin (on the stdin reader thread); a drop takes effect at once. */
  public static void read(int type, DataInputStream in) throws IOException {
    Object frame = MapFrames.read(type, in);
    if (frame == MapFrames.QUIT_FRAME) {
      quitting = true;
      inbox.add(POISON);
      return;
    }
    if (frame instanceof MapFrames.Drop d) {
      dropped.add(d.run());
    }
    inbox.add(frame);
  }

  /**
   * Stdin closed (on the stdin reader thread). If this child is a worker, it leaves (see {@link
   * #stdinClosed()}) and this returns true; else a worker that starts later leaves at once.
   */
  public static boolean stdinEnded() {
    eof = true;
    if (active) {
      stdinClosed();
      return true;
    }
    return false;
  }

  /**
   * Stdin closed. After a quit frame: finish the current item and leave, halting if that takes more
   * than 5 s. Without one the parent died: halt at once.
   */
  private static void stdinClosed() {
    if (!quitting) {
      Runtime.getRuntime().halt(137);
    }
    inbox.add(POISON);
    try {
      if (!done.await(5, TimeUnit.SECONDS)) {
        Runtime.getRuntime().halt(0);
      }
    } catch (InterruptedException e) {
      Runtime.getRuntime().halt(0);
    }
  }

  /** Serves batches until stdin closes; never returns. */
  public static void run(ZProc ctx, String token, FrameOut out) {
    active = true;
    if (eof && !quitting) {
      Runtime.getRuntime().halt(137); // the parent died before this worker began
    }
    MapWorkerOut frames = MapWorkerOut.install(out, token);
    MapWorkerLoop loop =
        new MapWorkerLoop(
            run -> ctx.state(ctx.namespace()),
            MapWorkerMain.class.getClassLoader(),
            null,
            dropped,
            frames::outcome,
            new WorkClock());
    try {
      for (; ; ) {
        Object frame = inbox.take();
        if (frame == POISON) {
          break;
        }
        loop.handle(frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (VirtualMachineError e) {
      System.err.println("[zproc worker] " + e + ": this worker JVM exits");
      Runtime.getRuntime().halt(1);
    }
    ctx.close();
    System.out.flush();
    System.err.flush();
    done.countDown();
    if (Boolean.getBoolean(Launcher.DUMPING)) {
      System.exit(0); // a normal exit writes the class-data archive
    }
    Runtime.getRuntime().halt(0);
  }
}
