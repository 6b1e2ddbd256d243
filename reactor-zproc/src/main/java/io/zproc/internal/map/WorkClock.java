package io.zproc.internal.map;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A clock for timing a map worker's batches that stops while its thread waits for a CPU: wall time
 * minus the thread's run-queue wait (Linux's {@code /proc/thread-self/schedstat}). On a machine
 * busier than its cores, a batch then costs what its items cost, not how long other processes held
 * the CPU, so batch sizes do not shrink for nothing; a task that sleeps or blocks still counts its
 * waits. Plain wall time where the file is not there. Each instance belongs to the first thread
 * that reads it.
 */
final class WorkClock implements LongSupplier {
  private static final String SCHEDSTAT = "/proc/thread-self/schedstat";

  private final byte[] buffer = new byte[96];
  private @Nullable RandomAccessFile stat;
  private boolean unavailable;
  private long last = Long.MIN_VALUE;

  @Override
  public long getAsLong() {
    // the wait must not change between the two readings: a thread descheduled in between would
    // subtract a wait its wall time does not yet hold, and the clock would run backwards
    long before = waited();
    for (int attempt = 0; ; attempt++) {
      long now = System.nanoTime();
      long after = waited();
      if (after == before || attempt == 3) {
        last = Math.max(last, now - after); // never backwards, whatever the readings
        return last;
      }
      before = after;
    }
  }

  /** Nanoseconds this thread has waited for a CPU, or 0 if unknown. */
  private long waited() {
    if (unavailable) {
      return 0;
    }
    try {
      RandomAccessFile f = stat;
      if (f == null) {
        f = new RandomAccessFile(SCHEDSTAT, "r");
        stat = f;
      }
      f.seek(0);
      int n = f.read(buffer);
      return secondField(buffer, n);
    } catch (IOException | RuntimeException e) {
      unavailable = true;
      return 0;
    }
  }

  /** The second number of {@code "<on cpu> <waited> <slices>"}. */
  static long secondField(byte[] b, int n) throws IOException {
    int i = 0;
    while (i < n && b[i] != ' ') {
      i++;
    }
    i++;
    long v = 0;
    int digits = 0;
    for (; i < n && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
      v = v * 10 + (b[i] - '0');
    }
    if (digits == 0) {
      throw new IOException("not a schedstat line");
    }
    return v;
  }
}
