package io.zproc.internal.server;

import io.zproc.ServerOptions;
import io.zproc.ZProcServer;
import io.zproc.rsocket.WireAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The standalone server's command line. */
public final class ServerMain {
  private ServerMain() {}

  static final String USAGE =
      "usage: java -cp <classpath> io.zproc.ZProcServer --address tcp://0.0.0.0:5000"
          + " [--secret-key-file FILE] [--tls-keystore PKCS12 --tls-password-file FILE]"
          + " [--max-frame-size BYTES] [--journal-size N] [--store memory|redis://HOST:PORT[/DB]]"
          + " [--insecure]";

  /**
   * A parsed command line.
   *
   * @param address where to serve
   * @param options the server's options
   * @param warning what to warn about before serving (no key, {@code --insecure}), or null
   */
  record Command(String address, ServerOptions options, @Nullable String warning) {}

  /**
   * Parses the arguments. Refuses to serve a non-loopback address without both a secret key and TLS
   * unless told {@code --insecure}, and a key file that others may read.
   *
   * @throws IllegalArgumentException naming the option at fault, with the usage
   */
  static Command parse(String[] args) throws IOException {
    String address = null;
    ServerOptions options = ServerOptions.defaults();
    boolean insecure = false;
    Path keyStore = null;
    String password = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (arg.equals("--insecure")) {
        insecure = true;
        continue;
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
          String key = readSecret(Path.of(value), "secret key");
          options = options.secretKey(key);
          break;
        case "--tls-keystore":
          keyStore = Path.of(value);
          break;
        case "--tls-password-file":
          password = readSecret(Path.of(value), "TLS password");
          break;
        case "--max-frame-size":
          options = options.maxFrameSize(Integer.parseInt(value));
          break;
        case "--journal-size":
          options = options.journalSize(Integer.parseInt(value));
          break;
        case "--store":
          try {
            options = options.store(value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "--store: "
                    + String.valueOf(e.getMessage()).replace("ServerOptions.store: ", "")
                    + "\n"
                    + USAGE,
                e);
          }
          break;
        default:
          throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (address == null) {
      throw new IllegalArgumentException("--address is required\n" + USAGE);
    }
    if ((keyStore == null) != (password == null)) {
      throw new IllegalArgumentException(
          "--tls-keystore and --tls-password-file go together\n" + USAGE);
    }
    if (keyStore != null) {
      options = options.tls(keyStore, password);
    }
    WireAddress parsed = WireAddress.parse(address);
    boolean network =
        (parsed.scheme().equals("tcp") || parsed.scheme().equals("ws"))
            && !servesLoopbackOnly(parsed.host());
    String warning = null;
    if (network && (options.secretKey() == null || keyStore == null)) {
      if (!insecure) {
        throw new IllegalArgumentException(
            "refusing to serve "
                + address
                + " beyond this host without "
                + (options.secretKey() == null ? "a secret key" : "")
                + (options.secretKey() == null && keyStore == null ? " and " : "")
                + (keyStore == null ? "TLS (without it the key crosses the network in clear)" : "")
                + ": anyone who reaches it could read and write the whole state. Give"
                + " --secret-key-file FILE and --tls-keystore FILE --tls-password-file FILE, or"
                + " --insecure to serve it anyway");
      }
      warning = "serving " + address + " --insecure: without a secret key and TLS";
    } else if (options.secretKey() == null && !parsed.scheme().equals("local")) {
      warning =
          "no secret key: any local user can read and write this server; give --secret-key-file";
    }
    return new Command(address, options, warning);
  }

  /** Whether a server bound to {@code host} listens on the loopback interface only. */
  public static boolean servesLoopbackOnly(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /**
   * The stripped content of a file holding a secret, refused when empty or when other users may
   * read it (as ssh refuses a private key others can read).
   */
  public static String readSecret(Path file, String what) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      perms.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
      if (!perms.isEmpty()) {
        throw new IllegalArgumentException(
            "the "
                + what
                + " file "
                + file
                + " can be read by other users ("
                + perms
                + "); make it readable by its owner only: chmod 600 "
                + file);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the " + what + " file " + file + " is empty");
    }
    return secret;
  }

  /** Runs a server until the JVM stops. */
  public static void main(String[] args) {
    Command parsed;
    try {
      parsed = parse(args);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.warning() != null) {
      System.err.println("warning: " + parsed.warning());
    }
    ZProcServer server;
    try {
      server = ZProcServer.start(parsed.address(), parsed.options());
    } catch (RuntimeException e) {
      // a store it cannot reach, a library missing, an address taken: say what, not a trace
      System.err.println("cannot start the server: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "zproc-server-shutdown"));
    System.out.println(
        "zproc server listening on " + server.address() + " (pid " + server.pid() + ")");
    server.onClose().block();
  }
}
