package io.zproc.internal.map;

import io.zproc.internal.process.ChildPipe;
import java.io.DataInputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The map workers' frames, all binary and length-prefixed.
 *
 * <p>Parent to worker, on its stdin after the header and a task frame of kind {@link #WORKER_KIND}:
 * {@code 'M'} registers a call's task, {@code 'B'} a batch of its items ({@link MapCodec}), {@code
 * 'D'} drops a call (its queued batches are abandoned), {@code 'Q'} retires the worker (it leaves
 * after its current item; stdin closing without it means the parent died, and the worker halts at
 * once).
 *
 * <p>Worker to parent: once it serves maps, the worker sends one text frame {@link #BINARY} on its
 * stdout and from then on writes only binary frames there: {@code 0x1F, type, int length, payload}.
 * Type {@link #OUTCOME_TYPE} is a batch's outcome; type {@link #PRINT_TYPE} carries what the task
 * printed on {@code System.out}, which the parent copies to its own. A line that does not start
 * with {@code 0x1F} where a frame should start (a JVM log line) is copied through as output.
 */
public final class MapFrames {
  private MapFrames() {}

  /** The task kind that turns a child into a map worker. */
  public static final byte WORKER_KIND = 'W';

  static final byte REGISTER = 'M';
  static final byte BATCH = 'B';
  static final byte DROP = 'D';
  static final byte QUIT = 'Q';

  /** The text frame after which the worker's stdout carries binary frames only. */
  static final String BINARY = ChildPipe.BINARY;

  /** The frame type under which the worker's outcomes reach the child's listener. */
  static final String OUTCOME = ChildPipe.OUTCOME;

  /** The first byte of a binary frame from a worker. */
  static final byte MARK = ChildPipe.MARK;

  static final byte OUTCOME_TYPE = 'O';
  static final byte PRINT_TYPE = ChildPipe.PRINT_TYPE;

  /** Mark, type and length: the bytes before a binary frame's payload. */
  static final int HEADER = ChildPipe.HEADER;

  /** The largest binary frame a parent reads. */
  static final int MAX_FRAME = ChildPipe.MAX_FRAME;

  /** Type, run, id and first item, and the length: the bytes of a batch frame before its items. */
  static final int BATCH_HEADER = 1 + 8 + 8 + 8 + 4;

  static final byte OK = 0;
  static final byte FAILED = 1;
  static final byte ABANDONED = 2;

  /**
   * A call's task: {@code MapTask} or {@code StatefulMapTask}, serialized; with the loader of its
   * classes when the worker is a thread of this JVM (not sent over a pipe).
   */
  record Register(long run, byte[] task, @Nullable ClassLoader loader) {}

  /** A batch: items {@code first ...} of a call, {@code bytes[off .. off + len)} by the codec. */
  record Batch(long run, long id, long first, byte[] bytes, int off, int len) {}

  /** A call ended: abandon its batches, forget its task. */
  record Drop(long run) {}

  /** The quit frame, read. */
  static final Object QUIT_FRAME = new Object();

  /**
   * An outcome's fixed part, read; the results ({@link MapCodec}) follow at {@code resultsAt}.
   *
   * @param batch the batch's id
   * @param status {@link #OK}, {@link #FAILED} or {@link #ABANDONED}
   * @param nanos how long the worker spent on the batch (reading, running, writing)
   * @param error the serialized {@code RemoteException} that stopped it, if any
   */
  record Outcome(long batch, byte status, long nanos, byte @Nullable [] error, int resultsAt) {}

  public static boolean isFrame(int type) {
    return type == REGISTER || type == BATCH || type == DROP || type == QUIT;
  }

  /** Writes a register frame. */
  static void register(MapBuffer out, long run, byte[] task) {
    out.putByte(REGISTER);
    out.putLong(run);
    out.putInt(task.length);
    out.putBytes(task, 0, task.length);
  }

  /** Writes a drop frame. */
  static void drop(MapBuffer out, long run) {
    out.putByte(DROP);
    out.putLong(run);
  }

  /**
   * Writes a batch frame of the first {@code n} items; the buffer is as it was if one cannot be
   * serialized.
   *
   * @throws IOException if an item is neither plain nor serializable
   */
  static void batch(MapBuffer out, long run, long id, long first, Object[] items, int n)
      throws IOException {
    int start = out.size();
    out.putByte(BATCH);
    out.putLong(run);
    out.putLong(id);
    out.putLong(first);
    int at = out.skip(4);
    try {
      MapCodec.encode(out, items, n);
    } catch (IOException | RuntimeException e) {
      out.truncate(start);
      throw e;
    }
    out.setInt(at, out.size() - at - 4);
  }

  /** Reads a parent frame whose type byte was read already. */
  static Object read(int type, DataInputStream in) throws IOException {
    switch (type) {
      case REGISTER:
        {
          long run = in.readLong();
          return new Register(run, bytes(in, in.readInt()), null);
        }
      case BATCH:
        {
          long run = in.readLong();
          long id = in.readLong();
          long first = in.readLong();
          byte[] items = bytes(in, in.readInt());
          return new Batch(run, id, first, items, 0, items.length);
        }
      case DROP:
        return new Drop(in.readLong());
      case QUIT:
        return QUIT_FRAME;
      default:
        throw new IOException("not a map frame: " + type);
    }
  }

  /**
   * Starts an outcome's payload: the buffer gets {@link #HEADER} bytes of room for the frame
   * header, then the outcome's fixed part; the caller appends the results.
   */
  static void outcome(MapBuffer out, long batch, byte status, long nanos, byte @Nullable [] error) {
    out.clear();
    out.skip(HEADER);
    out.putLong(batch);
    out.putByte(status);
    out.putLong(nanos);
    if (error == null) {
      out.putInt(-1);
    } else {
      out.putInt(error.length);
      out.putBytes(error, 0, error.length);
    }
  }

  /** Fills in the frame header of a payload written after {@link #HEADER} bytes of room. */
  static void seal(MapBuffer out, byte type) {
    byte[] a = out.array();
    a[0] = MARK;
    a[1] = type;
    out.setInt(2, out.size() - HEADER);
  }

  /** Reads an outcome's fixed part from {@code payload[off .. off + len)}. */
  static Outcome readOutcome(byte[] payload, int off, int len) throws IOException {
    MapBuffer.Reader in = new MapBuffer.Reader(payload, off, len);
    long batch = in.getLong();
    byte status = in.getByte();
    long nanos = in.getLong();
    int n = in.getInt();
    byte[] error = null;
    if (n >= 0) {
      in.needElements(n, 1);
      error = java.util.Arrays.copyOfRange(payload, in.pos, in.pos + n);
      in.skipBytes(n);
    }
    return new Outcome(batch, status, nanos, error, in.pos);
  }

  private static byte[] bytes(DataInputStream in, int n) throws IOException {
    if (n < 0) {
      throw new IOException("negative length " + n);
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }
}
