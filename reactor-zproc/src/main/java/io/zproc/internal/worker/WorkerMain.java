package io.zproc.internal.worker;

import io.zproc.WorkerOptions;
import io.zproc.ZProcWorker;
import io.zproc.internal.server.ServerMain;
import io.zproc.rsocket.WireAddress;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The standalone worker's command line ({@code zproc worker}, {@code ZProcWorker.main}): the same
 * rules as the server's ({@link ServerMain}) for keys and TLS.
 */
public final class WorkerMain {
  private WorkerMain() {}

  static final String USAGE =
      "usage: java -cp <application classpath> io.zproc.ZProcWorker --connect tcp://host:port"
          + " --secret-key-file FILE [--tls | --tls-trust PEM] [--slots N] [--allow PATTERN]..."
          + " [--insecure]";

  /**
   * A parsed command line.
   *
   * @param address the server to join
   * @param options the worker's options
   * @param warning what to warn about before joining ({@code --insecure}, no key), or null
   */
  public record Command(String address, WorkerOptions options, @Nullable String warning) {}

  /**
   * Parses the arguments. Refuses to join a server beyond this host without both a secret key and
   * TLS unless told {@code --insecure}, and a key file that others may read.
   *
   * @throws IllegalArgumentException naming the option at fault, with the usage
   * @throws IOException if the key file cannot be read
   */
  public static Command parse(String[] args) throws IOException {
    String address = null;
    WorkerOptions options = WorkerOptions.defaults();
    boolean insecure = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (arg.equals("--insecure")) {
        insecure = true;
        continue;
      }
      if (arg.equals("--tls")) {
        options = options.tls(null);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--connect":
          address = value;
          break;
        case "--secret-key-file":
          options = options.secretKey(ServerMain.readSecret(Path.of(value), "secret key"));
          break;
        case "--tls-trust":
          options = options.tls(Path.of(value));
          break;
        case "--slots":
          options = options.slots(number(arg, value));
          break;
        case "--allow":
          options = options.allow(value);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (address == null) {
      throw new IllegalArgumentException("--connect is required\n" + USAGE);
    }
    WireAddress parsed = WireAddress.parse(address);
    boolean network =
        (parsed.scheme().equals("tcp") || parsed.scheme().equals("ws"))
            && !ServerMain.servesLoopbackOnly(parsed.host());
    boolean keyed = options.secretKey() != null;
    String warning = null;
    if (network && (!keyed || !options.tls())) {
      if (!insecure) {
        throw new IllegalArgumentException(
            "refusing to join "
                + address
                + " beyond this host without "
                + (keyed ? "" : "a secret key")
                + (!keyed && !options.tls() ? " and " : "")
                + (options.tls()
                    ? ""
                    : "TLS (without it the key and the tasks cross the network in clear)")
                + ": tasks and items are Java-deserialized here. Give --secret-key-file FILE and"
                + " --tls (or --tls-trust PEM), or --insecure to join anyway");
      }
      warning = "joining " + address + " --insecure: without a secret key and TLS";
    } else if (!keyed) {
      warning =
          "no --secret-key-file: the key comes from this user's connection file of "
              + address
              + ", if there is one";
    }
    return new Command(address, options, warning);
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes a whole number, got '" + value + "'\n" + USAGE, e);
    }
  }

  /** Runs a worker until the JVM stops or the worker leaves (exit code 1 then). */
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
    ZProcWorker worker = ZProcWorker.start(parsed.address(), parsed.options());
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "zproc-worker-shutdown"));
    System.out.println(
        "zproc worker joined "
            + worker.address()
            + " with "
            + parsed.options().slots()
            + " slots (pid "
            + ProcessHandle.current().pid()
            + ")");
    try {
      worker.onClose().block();
    } catch (RuntimeException e) {
      System.err.println("zproc worker left: " + e.getMessage());
      System.exit(1);
    }
  }
}
