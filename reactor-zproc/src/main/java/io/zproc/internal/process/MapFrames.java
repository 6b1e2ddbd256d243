package io.zproc.internal.process;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The map workers' frames. Parent to worker, on its stdin after the header and a task frame of kind
 * {@link #WORKER_KIND}: {@code 'M'} registers a call's task, {@code 'B'} a batch of its items,
 * {@code 'D'} drops a call (its queued batches are abandoned), {@code 'Q'} retires the worker (it
 * leaves after its current item; stdin closing without it means the parent died, and the worker
 * halts at once). Worker to parent, as a stdout frame of type {@link #OUTCOME}: a batch's results,
 * with the error that stopped it if any.
 */
final class MapFrames {
  private MapFrames() {}

  /** The task kind that turns a child into a map worker. */
  static final byte WORKER_KIND = 'W';

  static final byte REGISTER = 'M';
  static final byte BATCH = 'B';
  static final byte DROP = 'D';
  static final byte QUIT = 'Q';

  /** The worker's outcome frame type. */
  static final String OUTCOME = "MR";

  static final byte OK = 0;
  static final byte FAILED = 1;
  static final byte ABANDONED = 2;

  /**
   * A call's task: {@code MapTask} or {@code StatefulMapTask}, serialized; with the loader of its
   * classes when the worker is a thread of this JVM (not sent over a pipe).
   */
  record Register(long run, byte[] task, @Nullable ClassLoader loader) {}

  /** A batch: items {@code first ...} of a call, serialized as one {@code Object[]}. */
  record Batch(long run, long id, long first, byte[] items) {}

  /** A call ended: abandon its batches, forget its task. */
  record Drop(long run) {}

  /** The quit frame, read. */
  static final Object QUIT_FRAME = new Object();

  /** What a worker sends back for a batch. */
  record Outcome(long batch, byte status, byte[] results, byte @Nullable [] error) {}

  static boolean isFrame(int type) {
    return type == REGISTER || type == BATCH || type == DROP || type == QUIT;
  }

  static byte[] encode(Object message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      if (message instanceof Register r) {
        out.writeByte(REGISTER);
        out.writeLong(r.run());
        out.writeInt(r.task().length);
        out.write(r.task());
      } else if (message instanceof Batch b) {
        out.writeByte(BATCH);
        out.writeLong(b.run());
        out.writeLong(b.id());
        out.writeLong(b.first());
        out.writeInt(b.items().length);
        out.write(b.items());
      } else if (message instanceof Drop d) {
        out.writeByte(DROP);
        out.writeLong(d.run());
      } else {
        Outcome o = (Outcome) message;
        out.writeLong(o.batch());
        out.writeByte(o.status());
        out.writeInt(o.results().length);
        out.write(o.results());
        byte[] error = o.error();
        out.writeInt(error == null ? -1 : error.length);
        if (error != null) {
          out.write(error);
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + message, e);
    }
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
          return new Batch(run, id, first, bytes(in, in.readInt()));
        }
      case DROP:
        return new Drop(in.readLong());
      case QUIT:
        return QUIT_FRAME;
      default:
        throw new IOException("not a map frame: " + type);
    }
  }

  static Outcome readOutcome(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    long batch = in.readLong();
    byte status = in.readByte();
    byte[] results = bytes(in, in.readInt());
    int n = in.readInt();
    return new Outcome(batch, status, results, n < 0 ? null : bytes(in, n));
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
