package io.zproc.cli;

import io.zproc.ZProcWorker;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code zproc worker}: {@link ZProcWorker#main} with the same flags; serves until stopped. */
@Command(
    name = "worker",
    description = {
      "Joins a server as a remote processMap worker until stopped (Ctrl-C, SIGTERM).",
      "Flags (as ZProcWorker.main): --connect A --secret-key-file F [--tls | --tls-trust PEM]"
          + " [--slots N] [--allow PATTERN]... [--insecure]; --help prints them.",
      "The application's classes (its tasks and items) go on CLASSPATH: CLASSPATH=app.jar zproc"
          + " worker ... --allow 'com.acme.**'."
    })
final class WorkerCommand implements Runnable {
  @Parameters(arity = "0..*", paramLabel = "FLAG", description = "the worker's flags")
  List<String> args = new ArrayList<>();

  @Override
  public void run() {
    ZProcWorker.main(args.toArray(new String[0]));
  }
}
