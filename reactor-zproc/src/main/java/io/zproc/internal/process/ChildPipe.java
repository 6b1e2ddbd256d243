package io.zproc.internal.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The parent-child protocol. Parent to child, on the child's stdin: a header (address, secret key,
 * token), then frames: {@code 'T'} a task, {@code 'A'} an acknowledgement. Child to parent, on its
 * stdout between the user's output: one line per frame, {@code \u001EZP:<token>:<type>:<base64>},
 * starting at a line start; everything else is the user's output.
 */
final class ChildPipe {
  private ChildPipe() {}

  static final String MAGIC = "ZPROC1";
  static final byte FRAME_START = 0x1E;
  static final String FRAME_PREFIX = "\u001EZP:";

  static final byte TASK = 'T';
  static final byte ACK = 'A';

  /** Child frame types. */
  static final String READY = "READY";

  static final String RESULT = "R";
  static final String ERROR = "E";
  static final String EXIT = "X";

  /** Task kinds. */
  static final byte STATE_TASK = 'S';

  static final byte CONTEXT_TASK = 'C';

  /**
   * Serializes a task.
   *
   * @throws IllegalArgumentException naming what is not serializable and what to do instead
   */
  static byte[] serializeTask(Object task) {
    try {
      return serialize(task);
    } catch (NotSerializableException e) {
      String culprit = e.getMessage();
      String hint =
          culprit != null && culprit.startsWith("io.zproc.")
              ? "a task must not capture a ZProc or State: use processWithContext(ctx -> ...) to"
                  + " get a context in the child, or use the State the task is given"
              : "capture only serializable values (numbers, strings, records implementing"
                  + " Serializable, ...)";
      throw new IllegalArgumentException(
          "the task cannot be sent to a child process: it captures a "
              + culprit
              + ", which is not serializable; "
              + hint,
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the task cannot be serialized for a child process: " + e, e);
    }
  }

  static byte[] serialize(@Nullable Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  static @Nullable Object deserialize(byte[] bytes, @Nullable ClassLoader loader)
      throws IOException, ClassNotFoundException {
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      return in.readObject();
    }
  }

  static String frame(String token, String type, byte[] payload) {
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
