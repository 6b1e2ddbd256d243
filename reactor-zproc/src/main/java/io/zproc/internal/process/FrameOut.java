package io.zproc.internal.process;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child's stdout: the user's output passes through; frames are written whole, each at a line
 * start, under the same lock as the user's prints.
 */
public final class FrameOut extends FilterOutputStream {
  private int last = '\n';

  private FrameOut(OutputStream out) {
    super(out);
  }

  /** Puts itself under {@code System.out}. */
  public static FrameOut install() {
    FrameOut out = new FrameOut(new FileOutputStream(FileDescriptor.out));
    System.setOut(new PrintStream(out, true));
    return out;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    out.write(b);
    last = b;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    if (len > 0) {
      last = b[off + len - 1];
    }
  }

  /**
   * The stream under this one, for a map worker's binary frames (after the text frame that
   * announces them, see {@code MapWorkerOut}); pending output is flushed first.
   */
  public OutputStream raw() {
    System.out.flush();
    return out;
  }

  /** Writes a frame; locks as the user's prints do (the PrintStream, then this stream). */
  public void send(String token, String type, byte[] payload) {
    PrintStream ps = System.out;
    synchronized (ps) {
      ps.flush();
      try {
        if (last != '\n') {
          write('\n');
        }
        byte[] frame = ChildPipe.frame(token, type, payload).getBytes(StandardCharsets.ISO_8859_1);
        write(frame, 0, frame.length);
        flush();
      } catch (IOException e) {
        Runtime.getRuntime().halt(137); // stdout is gone: so is the parent
      }
    }
  }
}
