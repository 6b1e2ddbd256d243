package io.zproc.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code zproc} command: {@code server} runs a standalone state server, {@code worker} a remote
 * {@code processMap} worker, {@code get}, {@code put}, {@code watch} and {@code namespaces} read
 * and change a server's state from a shell.
 *
 * <pre>
 * zproc server --address tcp://0.0.0.0:5000 --secret-key-file key [--tls-keystore K --tls-password-file P]
 * zproc put    --address tcp://127.0.0.1:5000 --secret-key-file key cookies 5
 * zproc get    --address tcp://127.0.0.1:5000 --secret-key-file key cookies
 * zproc watch  --address tcp://127.0.0.1:5000 --secret-key-file key cookies
 * CLASSPATH=app.jar zproc worker --connect tcp://127.0.0.1:5000 --secret-key-file key --allow 'com.acme.**'
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 the command failed (a server error, a key not found), 2 a usage error.
 */
@Command(
    name = "zproc",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "reactor-zproc's command: a state server, and the state from a shell.",
    subcommands = {
      ServerCommand.class,
      WorkerCommand.class,
      GetCommand.class,
      PutCommand.class,
      WatchCommand.class,
      NamespacesCommand.class
    })
public final class Zproc implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command with these streams; for tests and embedding. {@code server} never returns
   * while it serves.
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = commandLine();
    line.setOut(out);
    line.setErr(err);
    return line.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new Zproc());
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("zproc " + cmd.getCommandName() + ": " + Failures.describe(e));
          cmd.getErr().flush();
          return 1;
        });
    // `zproc server` and `zproc worker` hand their arguments to the mains as they are
    line.getSubcommands().get("server").setUnmatchedOptionsArePositionalParams(true);
    line.getSubcommands().get("worker").setUnmatchedOptionsArePositionalParams(true);
    return line;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: server, worker, get, put, watch or namespaces");
  }
}
