package io.zproc.internal.map;

import io.zproc.internal.process.ChildPipe;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The codec of a {@code processMap} batch (its items, or its results): one codec for the batch, not
 * one per item. Plain values are packed: a batch of only {@code Integer}s, {@code Long}s or {@code
 * Double}s is an array of them; a batch of plain values ({@code null}, {@code Integer}, {@code
 * Long}, {@code Double}, {@code Boolean}, {@code String}, {@code ArrayList} and {@code
 * List.of(...)} lists of them, {@code int[]}, {@code long[]}, {@code double[]}, {@code byte[]},
 * {@code String[]}) is a tag and a value per item. Any other object makes the whole batch one Java
 * serialization of an {@code Object[]}, as before. Values come back of the classes they left as (a
 * packed list is an {@code ArrayList}, or an unmodifiable list if it was one); equal but not
 * shared: a packed batch does not keep two references to one list as one. Not API.
 *
 * <p>Layout: a kind byte, the item count, then the items; see {@link #encode}. Lengths and numbers
 * are big-endian.
 */
public final class MapCodec {
  private MapCodec() {}

  static final byte INTS = 1;
  static final byte LONGS = 2;
  static final byte DOUBLES = 3;
  static final byte VALUES = 4;
  static final byte SERIAL = 5;

  private static final byte T_NULL = 0;
  private static final byte T_INT = 1;
  private static final byte T_LONG = 2;
  private static final byte T_DOUBLE = 3;
  private static final byte T_STRING = 4;
  private static final byte T_STRING16 = 5;
  private static final byte T_TRUE = 6;
  private static final byte T_FALSE = 7;
  private static final byte T_LIST = 8;
  private static final byte T_FIXED_LIST = 9;
  private static final byte T_INT_ARRAY = 10;
  private static final byte T_LONG_ARRAY = 11;
  private static final byte T_DOUBLE_ARRAY = 12;
  private static final byte T_BYTE_ARRAY = 13;
  private static final byte T_STRING_ARRAY = 14;

  /** Nesting deeper than this (or a list holding itself) goes by Java serialization. */
  private static final int MAX_DEPTH = 32;

  private static final Class<?> LIST0 = List.of().getClass();
  private static final Class<?> LIST12 = List.of(1).getClass();
  private static final Class<?> LISTN = List.of(1, 2, 3).getClass();

  /**
   * Appends the first {@code n} values to the buffer.
   *
   * @param out where to write
   * @param values the batch
   * @param n how many of them
   * @throws IOException if a value that is not plain cannot be serialized (e.g. {@link
   *     java.io.NotSerializableException}); the buffer is then as it was
   */
  public static void encode(MapBuffer out, @Nullable Object[] values, int n) throws IOException {
    int start = out.size();
    Object first = n == 0 ? null : values[0];
    if (first != null) {
      Class<?> type = first.getClass();
      if ((type == Integer.class || type == Long.class || type == Double.class)
          && allOf(values, n, type)) {
        packNumbers(out, values, n, type);
        return;
      }
    }
    out.putByte(VALUES);
    out.putInt(n);
    for (int i = 0; i < n; i++) {
      if (!value(out, values[i], 0)) {
        out.truncate(start);
        serial(out, values, n);
        return;
      }
    }
  }

  private static boolean allOf(@Nullable Object[] values, int n, Class<?> type) {
    for (int i = 0; i < n; i++) {
      Object v = values[i];
      if (v == null || v.getClass() != type) {
        return false;
      }
    }
    return true;
  }

  private static void packNumbers(MapBuffer out, @Nullable Object[] values, int n, Class<?> type) {
    if (type == Integer.class) {
      out.putByte(INTS);
      out.putInt(n);
      for (int i = 0; i < n; i++) {
        out.putInt((Integer) values[i]);
      }
    } else if (type == Long.class) {
      out.putByte(LONGS);
      out.putInt(n);
      for (int i = 0; i < n; i++) {
        out.putLong((Long) values[i]);
      }
    } else {
      out.putByte(DOUBLES);
      out.putInt(n);
      for (int i = 0; i < n; i++) {
        out.putDouble((Double) values[i]);
      }
    }
  }

  private static void serial(MapBuffer out, @Nullable Object[] values, int n) throws IOException {
    Object[] batch = n == values.length ? values : Arrays.copyOf(values, n);
    byte[] bytes = ChildPipe.serialize(batch);
    out.putByte(SERIAL);
    out.putInt(n);
    out.putInt(bytes.length);
    out.putBytes(bytes, 0, bytes.length);
  }

  /** Writes a plain value; false (with garbage written) if it is not one. */
  private static boolean value(MapBuffer out, @Nullable Object v, int depth) {
    if (v == null) {
      out.putByte(T_NULL);
      return true;
    }
    Class<?> c = v.getClass();
    if (c == Integer.class) {
      out.putByte(T_INT);
      out.putInt((Integer) v);
    } else if (c == Long.class) {
      out.putByte(T_LONG);
      out.putLong((Long) v);
    } else if (c == Double.class) {
      out.putByte(T_DOUBLE);
      out.putDouble((Double) v);
    } else if (c == String.class) {
      string(out, (String) v);
    } else if (c == Boolean.class) {
      out.putByte((Boolean) v ? T_TRUE : T_FALSE);
    } else if (c == ArrayList.class || c == LIST0 || c == LIST12 || c == LISTN) {
      if (depth >= MAX_DEPTH) {
        return false;
      }
      List<?> list = (List<?>) v;
      out.putByte(c == ArrayList.class ? T_LIST : T_FIXED_LIST);
      int size = list.size();
      out.putInt(size);
      for (int i = 0; i < size; i++) {
        if (!value(out, list.get(i), depth + 1)) {
          return false;
        }
      }
    } else if (c == int[].class) {
      int[] a = (int[]) v;
      out.putByte(T_INT_ARRAY);
      out.putInt(a.length);
      for (int x : a) {
        out.putInt(x);
      }
    } else if (c == long[].class) {
      long[] a = (long[]) v;
      out.putByte(T_LONG_ARRAY);
      out.putInt(a.length);
      for (long x : a) {
        out.putLong(x);
      }
    } else if (c == double[].class) {
      double[] a = (double[]) v;
      out.putByte(T_DOUBLE_ARRAY);
      out.putInt(a.length);
      for (double x : a) {
        out.putDouble(x);
      }
    } else if (c == byte[].class) {
      byte[] a = (byte[]) v;
      out.putByte(T_BYTE_ARRAY);
      out.putInt(a.length);
      out.putBytes(a, 0, a.length);
    } else if (c == String[].class) {
      String[] a = (String[]) v;
      out.putByte(T_STRING_ARRAY);
      out.putInt(a.length);
      for (String s : a) {
        if (s == null) {
          out.putByte(T_NULL);
        } else {
          string(out, s);
        }
      }
    } else {
      return false;
    }
    return true;
  }

  /**
   * A string as UTF-8 (one pass, no copy), or as UTF-16 chars if it holds a surrogate: an unpaired
   * one must come back as it left, which UTF-8 cannot promise.
   */
  private static void string(MapBuffer out, String s) {
    int len = s.length();
    int start = out.size();
    out.putByte(T_STRING);
    int at = out.skip(4);
    int body = out.size();
    for (int i = 0; i < len; i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        out.putByte(ch);
      } else if (ch < 0x800) {
        out.putByte(0xC0 | (ch >> 6));
        out.putByte(0x80 | (ch & 0x3F));
      } else if (Character.isSurrogate(ch)) {
        out.truncate(start);
        out.putByte(T_STRING16);
        out.putInt(len);
        for (int j = 0; j < len; j++) {
          char cj = s.charAt(j);
          out.putByte(cj >> 8);
          out.putByte(cj);
        }
        return;
      } else {
        out.putByte(0xE0 | (ch >> 12));
        out.putByte(0x80 | ((ch >> 6) & 0x3F));
        out.putByte(0x80 | (ch & 0x3F));
      }
    }
    out.setInt(at, out.size() - body);
  }

  /**
   * Reads a batch written by {@link #encode}.
   *
   * @param bytes the frame
   * @param off where the batch starts
   * @param len how many bytes it may use
   * @param loader resolves the classes of a serialized batch (null: the default)
   * @return the values
   * @throws IOException if the bytes are not a batch
   * @throws ClassNotFoundException if a serialized value's class is not found
   */
  public static Object[] decode(byte[] bytes, int off, int len, @Nullable ClassLoader loader)
      throws IOException, ClassNotFoundException {
    return decode(new MapBuffer.Reader(bytes, off, len), loader, null);
  }

  /**
   * Decodes a batch as {@link #decode(byte[], int, int, ClassLoader)}, reading serialized values
   * only for the classes an allow-list passes (none: every class).
   */
  static Object[] decode(
      byte[] bytes, int off, int len, @Nullable ClassLoader loader, @Nullable AllowList allow)
      throws IOException, ClassNotFoundException {
    return decode(new MapBuffer.Reader(bytes, off, len), loader, allow);
  }

  static Object[] decode(MapBuffer.Reader in, @Nullable ClassLoader loader)
      throws IOException, ClassNotFoundException {
    return decode(in, loader, null);
  }

  private static Object[] decode(
      MapBuffer.Reader in, @Nullable ClassLoader loader, @Nullable AllowList allow)
      throws IOException, ClassNotFoundException {
    byte kind = in.getByte();
    int n = in.getInt();
    switch (kind) {
      case INTS:
        {
          in.needElements(n, 4);
          Object[] out = new Object[n];
          for (int i = 0; i < n; i++) {
            out[i] = in.getInt();
          }
          return out;
        }
      case LONGS:
        {
          in.needElements(n, 8);
          Object[] out = new Object[n];
          for (int i = 0; i < n; i++) {
            out[i] = in.getLong();
          }
          return out;
        }
      case DOUBLES:
        {
          in.needElements(n, 8);
          Object[] out = new Object[n];
          for (int i = 0; i < n; i++) {
            out[i] = in.getDouble();
          }
          return out;
        }
      case VALUES:
        {
          in.needElements(n, 1);
          Object[] out = new Object[n];
          for (int i = 0; i < n; i++) {
            out[i] = readValue(in, 0);
          }
          return out;
        }
      case SERIAL:
        {
          int size = in.getInt();
          in.needElements(size, 1);
          byte[] serial = Arrays.copyOfRange(in.b, in.pos, in.pos + size);
          Object batch =
              allow == null
                  ? ChildPipe.deserialize(serial, loader)
                  : allow.deserialize(serial, loader);
          in.skipBytes(size);
          if (!(batch instanceof Object[]) || ((Object[]) batch).length != n) {
            throw new StreamCorruptedException("a serialized map batch is not " + n + " values");
          }
          return (Object[]) batch;
        }
      default:
        throw new StreamCorruptedException("not a map batch kind: " + kind);
    }
  }

  private static @Nullable Object readValue(MapBuffer.Reader in, int depth) throws IOException {
    byte tag = in.getByte();
    switch (tag) {
      case T_NULL:
        return null;
      case T_INT:
        return in.getInt();
      case T_LONG:
        return in.getLong();
      case T_DOUBLE:
        return in.getDouble();
      case T_TRUE:
        return Boolean.TRUE;
      case T_FALSE:
        return Boolean.FALSE;
      case T_STRING:
      case T_STRING16:
        return readString(in, tag);
      case T_LIST:
      case T_FIXED_LIST:
        {
          if (depth >= MAX_DEPTH) {
            throw new StreamCorruptedException("map batch values nested too deep");
          }
          int n = in.getInt();
          in.needElements(n, 1);
          Object[] items = new Object[n];
          for (int i = 0; i < n; i++) {
            items[i] = readValue(in, depth + 1);
          }
          if (tag == T_FIXED_LIST) {
            try {
              return List.of(items);
            } catch (NullPointerException e) {
              throw new StreamCorruptedException("a null in a fixed list of a map batch");
            }
          }
          return new ArrayList<>(Arrays.asList(items));
        }
      case T_INT_ARRAY:
        {
          int n = in.getInt();
          in.needElements(n, 4);
          int[] a = new int[n];
          for (int i = 0; i < n; i++) {
            a[i] = in.getInt();
          }
          return a;
        }
      case T_LONG_ARRAY:
        {
          int n = in.getInt();
          in.needElements(n, 8);
          long[] a = new long[n];
          for (int i = 0; i < n; i++) {
            a[i] = in.getLong();
          }
          return a;
        }
      case T_DOUBLE_ARRAY:
        {
          int n = in.getInt();
          in.needElements(n, 8);
          double[] a = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = in.getDouble();
          }
          return a;
        }
      case T_BYTE_ARRAY:
        {
          int n = in.getInt();
          in.needElements(n, 1);
          byte[] a = Arrays.copyOfRange(in.b, in.pos, in.pos + n);
          in.skipBytes(n);
          return a;
        }
      case T_STRING_ARRAY:
        {
          int n = in.getInt();
          in.needElements(n, 1);
          String[] a = new String[n];
          for (int i = 0; i < n; i++) {
            byte t = in.getByte();
            if (t == T_NULL) {
              continue;
            }
            if (t != T_STRING && t != T_STRING16) {
              throw new StreamCorruptedException("not a string in a map batch: tag " + t);
            }
            a[i] = readString(in, t);
          }
          return a;
        }
      default:
        throw new StreamCorruptedException("not a map batch value tag: " + tag);
    }
  }

  private static String readString(MapBuffer.Reader in, byte tag) throws EOFException {
    int n = in.getInt();
    if (tag == T_STRING) {
      in.needElements(n, 1);
      String s = new String(in.b, in.pos, n, StandardCharsets.UTF_8);
      in.pos += n;
      return s;
    }
    in.needElements(n, 2);
    char[] chars = new char[n];
    for (int i = 0; i < n; i++) {
      chars[i] = (char) (((in.b[in.pos] & 0xFF) << 8) | (in.b[in.pos + 1] & 0xFF));
      in.pos += 2;
    }
    return new String(chars);
  }
}
