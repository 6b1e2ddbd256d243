package io.zproc.cli;

import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options every client command shares: which server, with which key, which namespace. */
final class Connection {
  @Option(
      names = "--address",
      required = true,
      paramLabel = "ADDRESS",
      description = "the server, e.g. tcp://127.0.0.1:5000")
  String address;

  @Option(
      names = "--secret-key-file",
      paramLabel = "FILE",
      description =
          "a file holding the server's secret key, readable by its owner only; without it, a"
              + " loopback server of ZProc.start() is found by its connection file")
  Path secretKeyFile;

  @Option(
      names = {"--namespace", "-n"},
      paramLabel = "NS",
      defaultValue = "default",
      description = "the namespace (default: ${DEFAULT-VALUE})")
  String namespace;

  @Option(
      names = "--tls-trust",
      paramLabel = "PEM",
      description = "connect with TLS, trusting the certificates in this PEM file")
  Path tlsTrust;

  @Option(names = "--tls", description = "connect with TLS, trusting the JVM's certificates")
  boolean tls;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "how long to wait to connect and for each reply (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  /** Connects; the caller closes the context. */
  ZProc open() throws IOException {
    if (timeoutSeconds <= 0) {
      throw new IllegalArgumentException("--timeout must be positive, got " + timeoutSeconds);
    }
    ZProcOptions options = ZProcOptions.defaults().namespace(namespace).connectTimeout(timeout());
    if (secretKeyFile != null) {
      options = options.secretKey(readSecret(secretKeyFile));
    }
    if (tls || tlsTrust != null) {
      options = options.tls(tlsTrust);
    }
    return ZProc.connect(address, options);
  }

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /**
   * The stripped content of a key file, refused when empty or when other users may read it (as ssh
   * refuses a private key others can read, and as {@code zproc server} does).
   */
  static String readSecret(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      perms.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
      if (!perms.isEmpty()) {
        throw new IllegalArgumentException(
            "the secret key file "
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
      throw new IllegalArgumentException("the secret key file " + file + " is empty");
    }
    return secret;
  }
}
