package io.zproc.bench;

/**
 * A small log-linear latency histogram in nanoseconds: 64 linear sub-buckets per power of two, so a
 * recorded value is reported within about 1.6%. Not thread-safe; one per measuring thread.
 */
final class Histogram {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int LINEAR = 2 * SUB;

  private final long[] counts = new long[LINEAR + (63 - SUB_BITS) * SUB];
  private long total;

  void record(long nanos) {
    counts[index(Math.max(0, nanos))]++;
    total++;
  }

  long count() {
    return total;
  }

  /** The value at a percentile (0..100), as the midpoint of its bucket; 0 if empty. */
  long percentile(double p) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(total * p / 100.0));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return midpoint(i);
      }
    }
    return midpoint(counts.length - 1);
  }

  private static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int e = 63 - Long.numberOfLeadingZeros(v); // v in [2^e, 2^(e+1)), e >= SUB_BITS + 1
    int shift = e - SUB_BITS;
    long m = v >>> shift; // in [SUB, 2 * SUB)
    return LINEAR + (e - SUB_BITS - 1) * SUB + (int) (m - SUB);
  }

  private static long midpoint(int index) {
    if (index < LINEAR) {
      return index;
    }
    int block = (index - LINEAR) / SUB;
    int e = block + SUB_BITS + 1;
    int shift = e - SUB_BITS;
    long m = SUB + (index - LINEAR) % SUB;
    return (m << shift) + (1L << shift) / 2;
  }
}
