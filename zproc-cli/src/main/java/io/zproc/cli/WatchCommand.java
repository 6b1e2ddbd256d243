package io.zproc.cli;

import io.zproc.State;
import io.zproc.StateChange;
import io.zproc.ZProc;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;

/** {@code zproc watch}: prints the namespace's changes as they happen, one JSON line each. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints every change of the namespace (those touching a KEY, when given) as one line of"
          + " JSON: namespace, version, timestamp, origin, keys, before, after. Runs until"
          + " stopped (Ctrl-C) or --count changes were printed.",
      "--after V resumes after version V from the server's journal, losing nothing (exits with 1"
          + " if the journal no longer holds it)."
    })
final class WatchCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Parameters(arity = "0..*", paramLabel = "KEY", description = "only changes touching these")
  List<String> keys = new ArrayList<>();

  @Option(
      names = "--after",
      paramLabel = "VERSION",
      description = "start after this version (from the journal); default: from now")
  Long after;

  @Option(names = "--count", paramLabel = "N", description = "stop after N changes")
  Long count;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (count != null && count <= 0) {
      throw new IllegalArgumentException("--count must be positive, got " + count);
    }
    if (after != null && after < 0) {
      throw new IllegalArgumentException("--after must be a version (0 or more), got " + after);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ZProc ctx = connection.open()) {
      State state = ctx.state();
      Flux<StateChange> changes = after == null ? state.changes() : state.changes(after);
      if (!keys.isEmpty()) {
        changes = changes.filter(c -> c.keys().stream().anyMatch(keys::contains));
      }
      if (count != null) {
        changes = changes.take(count);
      }
      changes
          .doOnNext(
              c -> {
                out.println(Json.write(line(c)));
                out.flush();
              })
          .blockLast();
    }
    return 0;
  }

  private static Map<String, Object> line(StateChange c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", c.namespace());
    m.put("version", c.version());
    m.put("timestamp", c.timestamp().toString());
    m.put("origin", c.origin());
    m.put("keys", c.keys());
    m.put("before", c.before());
    m.put("after", c.after());
    return m;
  }
}
