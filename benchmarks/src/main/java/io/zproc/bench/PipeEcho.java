package io.zproc.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipes' limit for {@code processMap}: the same bytes as a map of {@code n} {@code Integer}
 * items to {@code Long} results, moved through child JVMs that do nothing but echo. The parent
 * writes frames of {@code chunk} packed ints (4 bytes an item) to each child's stdin; the child
 * answers each with a frame of as many packed longs (8 bytes an item) on its stdout. One writer and
 * one reader thread per child, as the pool has; no codec, no boxing, no ordering. Run in a child:
 * {@code PipeEcho child}.
 */
final class PipeEcho {
  private PipeEcho() {}

  /** The child: reads frames of ints, answers each with a frame of twice as many bytes. */
  public static void main(String[] args) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
    OutputStream out = System.out;
    byte[] buffer = new byte[0];
    byte[] answer = new byte[0];
    for (; ; ) {
      int length;
      try {
        length = in.readInt();
      } catch (IOException e) {
        return;
      }
      if (buffer.length < length) {
        buffer = new byte[length];
        answer = new byte[4 + 2 * length];
      }
      in.readFully(buffer, 0, length);
      int n = 2 * length;
      answer[0] = (byte) (n >>> 24);
      answer[1] = (byte) (n >>> 16);
      answer[2] = (byte) (n >>> 8);
      answer[3] = (byte) n;
      out.write(answer, 0, 4 + n);
      out.flush();
    }
  }

  /**
   * Moves {@code items} items' bytes through {@code count} echo children in frames of {@code chunk}
   * items, at most 2 frames in flight per child; returns items/s.
   */
  static double run(int count, int items, int chunk) throws Exception {
    List<Process> children = new ArrayList<>();
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int i = 0; i < count; i++) {
      children.add(
          new ProcessBuilder(
                  java, "-cp", System.getProperty("java.class.path"), PipeEcho.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start());
    }
    try {
      // warm-up, then the measured run
      move(children, Math.min(items, 200_000), chunk);
      long start = System.nanoTime();
      move(children, items, chunk);
      return items / ((System.nanoTime() - start) / 1e9);
    } finally {
      for (Process p : children) {
        p.getOutputStream().close();
        p.waitFor();
      }
    }
  }

  private static void move(List<Process> children, int items, int chunk) throws Exception {
    int count = children.size();
    int frames = (items + chunk - 1) / chunk;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      Process p = children.get(c);
      int mine = frames / count + (c < frames % count ? 1 : 0);
      java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(2);
      Thread writer =
          new Thread(
              () -> {
                try {
                  DataOutputStream out = new DataOutputStream(p.getOutputStream());
                  byte[] frame = new byte[4 * chunk];
                  for (int f = 0; f < mine; f++) {
                    inFlight.acquire();
                    out.writeInt(frame.length);
                    out.write(frame);
                    out.flush();
                  }
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread reader =
          new Thread(
              () -> {
                try {
                  InputStream raw = p.getInputStream();
                  DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
                  byte[] buffer = new byte[8 * chunk];
                  for (int f = 0; f < mine; f++) {
                    int n = in.readInt();
                    in.readFully(buffer, 0, n);
                    inFlight.release();
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      threads.add(writer);
      threads.add(reader);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
  }
}
