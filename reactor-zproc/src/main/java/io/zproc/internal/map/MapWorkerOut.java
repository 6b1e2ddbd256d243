package io.zproc.internal.map;

import io.zproc.internal.process.FrameOut;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * A map worker's stdout once it serves maps: binary frames only ({@link MapFrames}), each written
 * whole in one write under one lock. What the task prints on {@code System.out} becomes print
 * frames, which the parent copies to its own {@code System.out}; so no user output lands inside a
 * frame, and the parent never scans the stream for frames.
 */
final class MapWorkerOut {
  private final OutputStream raw;
  private final MapBuffer printBuffer = new MapBuffer();

  private MapWorkerOut(OutputStream raw) {
    this.raw = raw;
  }

  /**
   * Tells the parent (one text frame) that binary frames follow, and puts a print-frame stream in
   * place of {@code System.out}.
   */
  static MapWorkerOut install(FrameOut text, String token) {
    text.send(token, MapFrames.BINARY, new byte[0]);
    MapWorkerOut out = new MapWorkerOut(text.raw());
    System.setOut(new PrintStream(out.new Prints(), true));
    return out;
  }

  /** Writes an outcome frame whose payload follows {@link MapFrames#HEADER} bytes of room. */
  void outcome(MapBuffer frame) {
    MapFrames.seal(frame, MapFrames.OUTCOME_TYPE);
    write(frame);
  }

  private synchronized void write(MapBuffer frame) {
    try {
      raw.write(frame.array(), 0, frame.size());
      raw.flush();
    } catch (IOException e) {
      Runtime.getRuntime().halt(137); // stdout is gone: so is the parent
    }
  }

  private synchronized void print(byte[] b, int off, int len) {
    printBuffer.clear();
    printBuffer.skip(MapFrames.HEADER);
    printBuffer.putBytes(b, off, len);
    MapFrames.seal(printBuffer, MapFrames.PRINT_TYPE);
    write(printBuffer);
  }

  /** The task's {@code System.out}: every write is a print frame. */
  private final class Prints extends OutputStream {
    @Override
    public void write(int b) {
      print(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > 0) {
        print(b, off, len);
      }
    }
  }
}
