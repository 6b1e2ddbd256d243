package io.zproc.internal.process;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One task: what to run and how to retry. */
public final class TaskFrame {
  /** Tells a waiting spare that it may warm up now ({@link ChildPipe#WARM}); not a task. */
  public static final TaskFrame WARM = new TaskFrame((byte) 0, -1, 0, 0, List.of(), new byte[0]);

  /** Ends a spare that got no task. */
  public static final TaskFrame POISON = new TaskFrame((byte) 0, -1, 0, 0, List.of(), new byte[0]);

  public final byte kind;
  public final long cursor;
  public final int maxRetries;
  public final long retryDelayMillis;
  public final List<String> retryFor;
  public final byte[] bytes;

  TaskFrame(
      byte kind,
      long cursor,
      int maxRetries,
      long retryDelayMillis,
      List<String> retryFor,
      byte[] bytes) {
    this.kind = kind;
    this.cursor = cursor;
    this.maxRetries = maxRetries;
    this.retryDelayMillis = retryDelayMillis;
    this.retryFor = retryFor;
    this.bytes = bytes;
  }

  public static TaskFrame read(DataInputStream in) throws IOException {
    byte kind = in.readByte();
    long cursor = in.readLong();
    int maxRetries = in.readInt();
    long delay = in.readLong();
    int n = in.readInt();
    List<String> types = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      types.add(in.readUTF());
    }
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new TaskFrame(kind, cursor, maxRetries, delay, types, bytes);
  }

  public boolean shouldRetry(Throwable t, int attempt) {
    if (retryFor.isEmpty() || (maxRetries > 0 && attempt > maxRetries)) {
      return false;
    }
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (retryFor.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }
}
