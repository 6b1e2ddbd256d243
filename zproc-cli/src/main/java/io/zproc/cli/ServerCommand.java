package io.zproc.cli;

import io.zproc.ZProcServer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code zproc server}: {@link ZProcServer#main} with the same flags; serves until stopped. */
@Command(
    name = "server",
    description = {
      "Runs a standalone state server until stopped (Ctrl-C, SIGTERM).",
      "Flags (as ZProcServer.main): --address A [--secret-key-file F]"
          + " [--tls-keystore K --tls-password-file P] [--max-frame-size BYTES]"
          + " [--journal-size N] [--insecure]; --help prints them.",
      "Beyond loopback it needs a key and TLS, or --insecure."
    })
final class ServerCommand implements Runnable {
  @Parameters(arity = "0..*", paramLabel = "FLAG", description = "the server's flags")
  List<String> args = new ArrayList<>();

  @Override
  public void run() {
    ZProcServer.main(args.toArray(new String[0]));
  }
}
