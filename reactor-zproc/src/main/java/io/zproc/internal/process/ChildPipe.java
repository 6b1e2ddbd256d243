package io.zproc.internal.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parent-child protocol. Parent to child, on the child's stdin: a header (address, secret key,
 * token), then frames: {@code 'T'} a task, {@code 'A'} an acknowledgement. Child to parent, on its
 * stdout between the user's output: one line per frame, {@code \u001EZP:<token>:<type>:<base64>},
 * starting at a line start; everything else is the user's output.
 *
 * <p>After the text frame {@link #BINARY} (sent by a map worker), the child's stdout carries binary
 * frames only: {@code 0x1F, type, int length, payload}; type {@link #PRINT_TYPE} is the task's
 * printed output, any other type reaches the listener as an {@link #OUTCOME} frame.
 */
public final class ChildPipe {
  private ChildPipe() {}

  public static final String MAGIC = "ZPROC1";
  static final byte FRAME_START = 0x1E;
  static final String FRAME_PREFIX = "\u001EZP:";

  public static final byte TASK = 'T';
  public static final byte ACK = 'A';

  /**
   * Parent to child, with an int: a JVM back in the pool after its task may warm up with that many
   * rounds while it waits (it takes a configured spare's place).
   */
  public static final byte WARM = 'W';

  /** Child frame types. */
  public static final String READY = "READY";

  /** A spare began warming up (see {@code SpareWarmUp}); the pool prefers a quiet spare. */
  public static final String WARMING = "WARMING";

  /** A spare stopped warming up. */
  public static final String WARMED = "WARMED";

  /**
   * After a task's outcome: whether the child can run another task of the same context (payload 1)
   * or must end (0, then why, in UTF-8: the parent logs it at debug level). See {@code TaskScope}
   * for what it judges.
   */
  public static final String NEXT = "N";

  public static final String RESULT = "R";
  public static final String ERROR = "E";
  public static final String EXIT = "X";

  /** Task kinds. */
  static final byte STATE_TASK = 'S';

  public static final byte CONTEXT_TASK = 'C';

  /** The text frame after which the child's stdout carries binary frames only. */
  public static final String BINARY = "MB";

  /** The frame type under which a binary frame (not printed output) reaches the listener. */
  public static final String OUTCOME = "MR";

  /** The first byte of a binary frame. */
  public static final byte MARK = 0x1F;

  /** The binary frame type of the task's printed output. */
  public static final byte PRINT_TYPE = 'P';

  /** Mark, type and length: the bytes before a binary frame's payload. */
  public static final int HEADER = 6;

  /** The largest binary frame a parent reads. */
  public static final int MAX_FRAME = 1 << 30;

  /**
   * Serializes a task for a child process.
   *
   * @throws IllegalArgumentException naming what is not serializable and what to do instead
   */
  public static byte[] serializeTask(Object task) {
    return serializeTask(
        task,
        "the task",
        "a child process",
        "a task must not capture a ZProc or State: use processWithContext(ctx -> ...) to get a"
            + " context in the child, or use the State the task is given");
  }

  /**
   * Serializes a task for other JVMs.
   *
   * @param what the task, as the message names it
   * @param where whom it is sent to, as the message names them
   * @param stateHint what to do instead when it captures one of this library's objects
   * @throws IllegalArgumentException naming what is not serializable and what to do instead
   */
  public static byte[] serializeTask(Object task, String what, String where, String stateHint) {
    try {
      return serialize(task);
    } catch (NotSerializableException e) {
      String culprit = e.getMessage();
      String hint =
          culprit != null && culprit.startsWith("io.zproc.")
              ? stateHint
              : "capture only serializable values (numbers, strings, records implementing"
                  + " Serializable, ...)";
      throw new IllegalArgumentException(
          what
              + " cannot be sent to "
              + where
              + ": it captures a "
              + culprit
              + ", which is not serializable; "
              + hint,
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " cannot be serialized for " + where + ": " + e, e);
    }
  }

  public static byte[] serialize(@Nullable Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  public static @Nullable Object deserialize(byte[] bytes, @Nullable ClassLoader loader)
      throws IOException, ClassNotFoundException {
    return deserialize(bytes, loader, null);
  }

  /** Deserializes with a filter that every class read must pass (null: the JVM's own, if any). */
  public static @Nullable Object deserialize(
      byte[] bytes, @Nullable ClassLoader loader, @Nullable ObjectInputFilter filter)
      throws IOException, ClassNotFoundException {
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      if (filter != null) {
        in.setObjectInputFilter(filter);
      }
      return in.readObject();
    }
  }

  /**
   * A deserialized task (a process's or a processMap's), which is never null: the parent only ever
   * serializes a task object.
   *
   * @throws NullPointerException if it is null after all
   */
  public static Object requireTask(@Nullable Object deserialized) {
    return Objects.requireNonNull(deserialized, "a task is never null: its parent serialized one");
  }

  public static String frame(String token, String type, byte[] payload) {
    return FRAME_PREFIX
        + token
        + ":"
        + type
        + ":"
        + Base64.getEncoder().encodeToString(payload)
        + "\n";
  }

  /** A parsed child frame, or null if the line is not a frame of this token. */
  static String @Nullable [] parseFrame(byte[] line, int length, String token) {
    String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
    String prefix = FRAME_PREFIX + token + ":";
    if (!text.startsWith(prefix)) {
      return null;
    }
    String rest = text.substring(prefix.length()).strip();
    int colon = rest.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
  }

  /** Resolves classes with the given loader first (the task's), then the default. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final @Nullable ClassLoader loader;

    LoaderObjectInputStream(InputStream in, @Nullable ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall back to the default resolution (primitives, JDK classes)
        }
      }
      return super.resolveClass(desc);
    }
  }
}
