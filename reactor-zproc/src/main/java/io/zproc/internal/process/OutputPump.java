package io.zproc.internal.process;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.util.Base64;

/**
 * Reads a child JVM's output: copies the user's output through to this JVM's {@code System.out} and
 * {@code System.err}, and hands the child's frames to the {@link Child}.
 *
 * <p><b>Threading:</b> each stream is read on its own pump thread of the child.
 */
final class OutputPump {
  private final Child child;

  OutputPump(Child child) {
    this.child = child;
  }

  /**
   * Copies the user's output through; collects frame lines (they start with 0x1E). After a map
   * worker's {@link ChildPipe#BINARY} frame, reads binary frames instead (see {@link #binary}).
   */
  void stdout(InputStream from) throws IOException {
    byte[] buffer = new byte[8192];
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    boolean lineStart = true;
    boolean inFrame = false;
    int n;
    while ((n = from.read(buffer)) >= 0) {
      PrintStream out = System.out;
      int plainStart = -1;
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (inFrame) {
          if (b == '\n') {
            inFrame = false;
            lineStart = true;
            boolean binary = handleFrameLine(frame.toByteArray());
            frame.reset();
            if (binary) {
              out.flush();
              binary(
                  new SequenceInputStream(
                      new ByteArrayInputStream(buffer, i + 1, n - i - 1), from));
              return;
            }
          } else {
            frame.write(b);
          }
          continue;
        }
        if (lineStart && b == ChildPipe.FRAME_START) {
          if (plainStart >= 0) {
            out.write(buffer, plainStart, i - plainStart);
            plainStart = -1;
          }
          inFrame = true;
          frame.write(b);
          continue;
        }
        if (plainStart < 0) {
          plainStart = i;
        }
        lineStart = b == '\n';
      }
      if (plainStart >= 0) {
        out.write(buffer, plainStart, n - plainStart);
      }
      out.flush();
    }
  }

  /** Handles a frame line; true if it says that binary frames follow. */
  private boolean handleFrameLine(byte[] line) {
    String[] parsed = ChildPipe.parseFrame(line, line.length, child.token);
    if (parsed == null) {
      System.out.println(new String(line, java.nio.charset.StandardCharsets.ISO_8859_1));
      return false;
    }
    if (ChildPipe.BINARY.equals(parsed[0])) {
      return true;
    }
    child.deliverFrame(parsed[0], Base64.getDecoder().decode(parsed[1]));
    return false;
  }

  /**
   * A map worker's stdout: binary frames ({@link ChildPipe}); print frames go to this JVM's {@code
   * System.out}, outcomes to the listener. A line where a frame should start (the JVM's own log
   * output) is copied through. A frame with an impossible length is handed on as an empty outcome
   * (the pool kills a worker that sends a bad one), and the rest of the stream is skipped.
   */
  private void binary(InputStream from) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(from, 1 << 16));
    int first;
    while ((first = in.read()) >= 0) {
      if (first != ChildPipe.MARK) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = first; b >= 0; b = in.read()) {
          line.write(b);
          if (b == '\n') {
            break;
          }
        }
        PrintStream out = System.out;
        out.write(line.toByteArray(), 0, line.size());
        out.flush();
        continue;
      }
      int type = in.readByte();
      int length = in.readInt();
      if (length < 0 || length > ChildPipe.MAX_FRAME) {
        child.deliverFrame(ChildPipe.OUTCOME, new byte[0]);
        in.transferTo(OutputStream.nullOutputStream());
        return;
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (type == ChildPipe.PRINT_TYPE) {
        PrintStream out = System.out;
        out.write(payload, 0, length);
        out.flush();
      } else {
        child.deliverFrame(ChildPipe.OUTCOME, payload);
      }
    }
  }

  static void stderr(InputStream from, ByteTail errTail) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      errTail.add(buffer, n);
      PrintStream err = System.err;
      err.write(buffer, 0, n);
      err.flush();
    }
  }
}
