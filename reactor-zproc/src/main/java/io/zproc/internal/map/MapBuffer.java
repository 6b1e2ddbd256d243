package io.zproc.internal.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte array written big-endian, reused from frame to frame: what the map codec writes
 * batches and outcomes into, and what goes to a pipe in one write. Not thread-safe. Not API.
 */
public final class MapBuffer {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Buffers above this size are dropped by {@link #clear()} rather than kept for the next use. */
  private static final int KEEP = 1 << 20;

  private byte[] array;
  private int size;

  /** An empty buffer of 4 KiB. */
  public MapBuffer() {
    this.array = new byte[4096];
  }

  /** Empties the buffer (a very large one is let go). */
  public void clear() {
    size = 0;
    if (array.length > KEEP) {
      array = new byte[4096];
    }
  }

  /** The bytes written so far are {@code array()[0 .. size())}. */
  public int size() {
    return size;
  }

  /** The backing array; valid until the next write. */
  public byte[] array() {
    return array;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(array, size);
  }

  private void ensure(int more) {
    int need = size + more;
    if (need > array.length) {
      if (need < 0) {
        throw new OutOfMemoryError("a map frame over 2 GiB");
      }
      array =
          Arrays.copyOf(
              array, Math.max(need, (int) Math.min(Integer.MAX_VALUE - 8, array.length * 2L)));
    }
  }

  void putByte(int b) {
    ensure(1);
    array[size++] = (byte) b;
  }

  void putInt(int v) {
    ensure(4);
    INT.set(array, size, v);
    size += 4;
  }

  void putLong(long v) {
    ensure(8);
    LONG.set(array, size, v);
    size += 8;
  }

  void putDouble(double v) {
    putLong(Double.doubleToRawLongBits(v));
  }

  void putBytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, array, size, len);
    size += len;
  }

  /** Overwrites the int at {@code pos} (a length written once the body is known). */
  void setInt(int pos, int v) {
    INT.set(array, pos, v);
  }

  /** Forgets what was written after {@code pos}. */
  void truncate(int pos) {
    size = pos;
  }

  /** Reserves {@code n} bytes at the end for the caller to fill in, and returns where they are. */
  int skip(int n) {
    ensure(n);
    int at = size;
    size += n;
    return at;
  }

  // ---- a forward reader over a byte array

  /** Reads what a {@link MapBuffer} wrote; bounds checked, a short input is an IOException. */
  static final class Reader {
    final byte[] b;
    int pos;
    final int limit;

    Reader(byte[] b, int off, int len) {
      this.b = b;
      this.pos = off;
      this.limit = off + len;
    }

    int remaining() {
      return limit - pos;
    }

    private void need(int n) throws java.io.EOFException {
      if (n < 0 || limit - pos < n) {
        throw new java.io.EOFException(
            "a map frame ends early: " + n + " bytes wanted, " + (limit - pos) + " left");
      }
    }

    byte getByte() throws java.io.EOFException {
      need(1);
      return b[pos++];
    }

    int getInt() throws java.io.EOFException {
      need(4);
      int v = (int) INT.get(b, pos);
      pos += 4;
      return v;
    }

    long getLong() throws java.io.EOFException {
      need(8);
      long v = (long) LONG.get(b, pos);
      pos += 8;
      return v;
    }

    double getDouble() throws java.io.EOFException {
      return Double.longBitsToDouble(getLong());
    }

    /** Checks that {@code count} elements of {@code width} bytes fit, before allocating them. */
    void needElements(int count, int width) throws java.io.EOFException {
      if (count < 0) {
        throw new java.io.EOFException("a negative count in a map frame: " + count);
      }
      need((int) Math.min(Integer.MAX_VALUE, (long) count * width));
    }

    void skipBytes(int n) throws java.io.EOFException {
      need(n);
      pos += n;
    }
  }
}
