package io.zproc.cli;

import io.zproc.ZProc;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code zproc namespaces}: the server's namespaces, one per line. */
@Command(
    name = "namespaces",
    mixinStandardHelpOptions = true,
    description =
        "Prints the server's namespaces, sorted, one per line (those used and not dropped,"
            + " without the library's own zproc.internal.*).")
final class NamespacesCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ZProc ctx = connection.open()) {
      List<String> names = ctx.namespaces().block(connection.timeout());
      if (names != null) {
        names.forEach(spec.commandLine().getOut()::println);
      }
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
