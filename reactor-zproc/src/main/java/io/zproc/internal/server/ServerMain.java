package io.zproc.internal.server;

import io.zproc.ServerOptions;
import io.zproc.ZProcServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The standalone server's command line. */
public final class ServerMain {
  private ServerMain() {}

  static final String USAGE =
      "usage: java -cp <classpath> io.zproc.ZProcServer --address tcp://0.0.0.0:5000"
          + " [--secret-key-file FILE] [--max-frame-size BYTES] [--journal-size N]";

  /** Parses the arguments into an address and options. */
  static Object[] parse(String[] args) throws IOException {
    String address = null;
    ServerOptions options = ServerOptions.defaults();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--address":
          address = value;
          break;
        case "--secret-key-file":
          String key = Files.readString(Path.of(value), StandardCharsets.UTF_8).strip();
          if (key.isEmpty()) {
            throw new IllegalArgumentException("the secret key file " + value + " is empty");
          }
          options = options.secretKey(key);
          break;
        case "--max-frame-size":
          options = options.maxFrameSize(Integer.parseInt(value));
          break;
        case "--journal-size":
          options = options.journalSize(Integer.parseInt(value));
          break;
        default:
          throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (address == null) {
      throw new IllegalArgumentException("--address is required\n" + USAGE);
    }
    return new Object[] {address, options};
  }

  /** Runs a server until the JVM stops. */
  public static void main(String[] args) {
    Object[] parsed;
    try {
      parsed = parse(args);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ZProcServer server = ZProcServer.start((String) parsed[0], (ServerOptions) parsed[1]);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "zproc-server-shutdown"));
    System.out.println(
        "zproc server listening on " + server.address() + " (pid " + server.pid() + ")");
    server.onClose().block();
  }
}
