package io.zproc.cli;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zproc get}: prints a namespace, a key's value or several keys' values as JSON. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Prints state as one line of JSON: with no KEY the whole namespace (an object, in insertion"
          + " order), with one KEY its value, with several an object of those present.",
      "Exits with 1 when a KEY is absent (naming it on stderr)."
    })
final class GetCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Parameters(arity = "0..*", paramLabel = "KEY", description = "the keys to print")
  List<String> keys = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ZProc ctx = connection.open()) {
      State state = ctx.state();
      // one snapshot: the keys are read at one version, present and null told apart
      Snapshot snapshot = state.snapshot().block(connection.timeout());
      if (snapshot == null) {
        throw new IllegalStateException("the server sent no snapshot");
      }
      if (keys.isEmpty()) {
        spec.commandLine().getOut().println(Json.write(snapshot));
        return 0;
      }
      List<String> missing = new ArrayList<>();
      Map<String, Object> found = new LinkedHashMap<>();
      for (String key : keys) {
        if (snapshot.containsKey(key)) {
          found.put(key, snapshot.get(key));
        } else {
          missing.add(key);
        }
      }
      if (keys.size() == 1 && missing.isEmpty()) {
        spec.commandLine().getOut().println(Json.write(found.get(keys.get(0))));
      } else if (keys.size() > 1) {
        spec.commandLine().getOut().println(Json.write(found));
      }
      spec.commandLine().getOut().flush();
      if (!missing.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "zproc get: no "
                    + (missing.size() == 1 ? "key " : "keys ")
                    + String.join(", ", missing)
                    + " in namespace "
                    + ctx.namespace()
                    + " at version "
                    + snapshot.version());
        return 1;
      }
      return 0;
    }
  }
}
