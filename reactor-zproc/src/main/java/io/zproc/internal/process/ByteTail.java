package io.zproc.internal.process;

import java.nio.charset.StandardCharsets;

/** The last bytes written to a stream, at most a fixed number: a ring. Thread-safe. */
final class ByteTail {
  private final byte[] ring;
  private long written;

  ByteTail(int capacity) {
    this.ring = new byte[capacity];
  }

  /** Keeps the first {@code n} bytes of {@code buffer}, dropping the oldest beyond capacity. */
  synchronized void add(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      ring[(int) (written++ % ring.length)] = buffer[i];
    }
  }

  /** What it holds, as UTF-8, trimmed. */
  synchronized String text() {
    int n = (int) Math.min(written, ring.length);
    byte[] bytes = new byte[n];
    int start = (int) ((written - n) % ring.length);
    for (int i = 0; i < n; i++) {
      bytes[i] = ring[(start + i) % ring.length];
    }
    return new String(bytes, StandardCharsets.UTF_8).strip();
  }
}
