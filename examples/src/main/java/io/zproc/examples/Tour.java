package io.zproc.examples;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.StateChange;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import reactor.core.publisher.Mono;

/**
 * The README's tour: starts an embedded state server, writes and reads state in two namespaces, and
 * prints what it does. Run it with {@code mvn -B -q install -DskipTests && mvn -B -q -pl examples
 * exec:exec}.
 */
public final class Tour {
  private Tour() {}

  /**
   * Runs the tour on an embedded server of its own, printing each step.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      System.out.println("started an embedded state server at " + ctx.address());
      System.out.println("server pid (ping): " + ctx.ping().block());

      State state = ctx.state();
      System.out.println("\n-- namespace '" + state.namespace() + "' --");
      state.put("apples", 5).block();
      System.out.println("put apples=5          -> get apples = " + state.get("apples").block());
      Object existing = state.putIfAbsent("apples", 10).block();
      System.out.println("putIfAbsent apples=10 -> kept " + existing);
      state.putAll(Map.of("pears", 3)).block();
      state.put("basket", List.of("apple", "pear")).block();
      System.out.println("increment pears by 2  -> " + state.increment("pears", 2).block());
      Snapshot snapshot = state.snapshot().block();
      System.out.println("snapshot at version " + snapshot.version() + ": " + snapshot);

      @SuppressWarnings("unchecked")
      List<Object> basket = (List<Object>) state.get("basket").block();
      basket.add("plum");
      System.out.println(
          "a list read is a copy: changed locally to "
              + basket
              + ", the server still has "
              + state.get("basket").block());

      State jobs = ctx.state("jobs");
      System.out.println("\n-- namespace '" + jobs.namespace() + "' --");
      jobs.put("queued", 2).block();
      System.out.println("jobs has " + jobs.size().block() + " key(s): " + jobs.snapshot().block());
      System.out.println(
          "'default' has no 'queued': containsKey = " + state.containsKey("queued").block());

      System.out.println("\n-- watching: react to changes instead of polling --");
      State baker = ctx.state("default"); // another client of the same namespace
      Mono<Snapshot> hot = state.whenEqual("oven", "hot").cache();
      hot.subscribe();
      baker.put("oven", "warm").then(baker.put("oven", "hot")).block();
      Snapshot woke = hot.block(Duration.ofSeconds(10));
      System.out.println("whenEqual(oven, hot) woke with oven=" + woke.get("oven"));
      baker.put("cookies", 12).block(); // made while we were busy: the buffered cursor keeps it
      Snapshot change = state.whenChange("cookies").block(Duration.ofSeconds(10));
      System.out.println("whenChange(cookies) -> cookies=" + change.get("cookies"));
      long since = state.snapshot().block().version();
      baker.put("cookies", 11).then(baker.remove("oven")).block();
      List<StateChange> log = state.changes(since).take(2).collectList().block();
      for (StateChange c : log) {
        System.out.println(
            "change v" + (c.version() - since) + ": " + c.before() + " -> " + c.after());
      }

      System.out.println("\n-- atomic: change nested values safely --");
      int count =
          state
              .atomic(
                  s -> {
                    @SuppressWarnings("unchecked")
                    List<Object> b = (List<Object>) s.get("basket");
                    b.add("plum");
                    s.put("basketSize", b.size());
                    return b.size();
                  })
              .block();
      System.out.println(
          "atomic added a plum: basket=" + state.get("basket").block() + ", size=" + count);

      System.out.println("\n-- processes: child JVMs that share the state --");
      ZProcess<String> child =
          ctx.process(
              s -> {
                s.put("greeting", "hello from a child JVM").block();
                return "Hello There!";
              });
      System.out.println("a child JVM returned: " + child.result().block(Duration.ofSeconds(60)));
      System.out.println("and wrote: greeting=" + state.get("greeting").block());
      List<ZProcess<Long>> workers =
          ctx.processFactory(3, s -> s.namespace("jobs").increment("done", 1).block());
      ctx.waitAll().block(Duration.ofSeconds(60));
      System.out.println(
          workers.size()
              + " processes from processFactory counted done="
              + jobs.get("done").block());
      jobs.remove("done").block();

      ConcurrentMap<String, Object> map = jobs.asMap();
      map.merge("queued", 1, (a, b) -> ((Number) a).intValue() + ((Number) b).intValue());
      System.out.println("asMap().merge(queued, +1) -> " + map.get("queued"));
      System.out.println("popItem -> " + jobs.popItem().block());
      System.out.println("jobs is now " + jobs.snapshot().block());
    }
    System.out.println("\nclosed the context and its embedded server");
  }
}
