package io.zproc.bench;

import io.rsocket.RSocket;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.internal.client.Introspection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client JVM of {@link WatchBench}: connects with {@link ZProcOptions#defaults()} (so a server on
 * this host is reached through its unix-domain socket) and obeys commands on stdin, one a line:
 *
 * <pre>
 * run &lt;loop&gt; &lt;millis&gt;  →  BENCH RESULT &lt;loop&gt; ops=.. nanos=.. p50=.. p99=.. cpu=.. [runs=..]
 * respond &lt;ns&gt; block|chain|changes|changes1  →  BENCH OK respond &lt;ns&gt;   (B of the round trip)
 * stall &lt;ns&gt;                        →  BENCH OK stall &lt;ns&gt;     (a watcher that requests 1)
 * status                             →  BENCH OK status &lt;ns&gt;=&lt;state&gt; ...
 * quit
 * </pre>
 *
 * Loops: {@code echo-unix-seq} (when an echo address is given), {@code put-seq}, {@code rt:<ns>} (A
 * of the round trip), {@code rtx:<ns>} (A, watching before it writes), {@code
 * fanout:<ns>:<watchers>:<window>}, {@code atomic:<ns>} and {@code incr:<ns>}. It prints {@code
 * BENCH READY transport=..} once connected, and exits when stdin closes.
 *
 * <pre>
 * java -cp ... io.zproc.bench.WatchClient &lt;zproc address&gt; [unix echo address]
 * </pre>
 */
public final class WatchClient {
  private WatchClient() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length < 1) {
      out.println("BENCH ERROR usage: WatchClient <address> [unix echo address]");
      System.exit(2);
    }
    Map<String, AtomicInteger> next = new ConcurrentHashMap<>();
    Map<String, State> states = new ConcurrentHashMap<>();
    Map<String, Object> watchers = new LinkedHashMap<>();
    try (ZProc ctx = ZProc.connect(args[0], ZProcOptions.defaults())) {
      State put = ctx.state("put");
      put.put(StateBench.KEY, 0).block();
      RSocket echo = args.length > 1 ? Echo.connect(args[1]) : null;
      out.println("BENCH READY transport=" + ((Introspection) ctx).transport());
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] cmd = line.trim().split("\\s+");
        try {
          switch (cmd[0]) {
            case "quit":
              System.exit(0);
              return;
            case "respond":
              watchers.put(cmd[1], WatchLoops.respond(ctx.state(cmd[1]), cmd[2]));
              out.println("BENCH OK respond " + cmd[1]);
              break;
            case "stall":
              watchers.put(cmd[1] + "/stalled", WatchLoops.stall(ctx.state(cmd[1])));
              out.println("BENCH OK stall " + cmd[1]);
              break;
            case "status":
              StringBuilder status = new StringBuilder("BENCH OK status");
              watchers.forEach(
                  (name, w) ->
                      status
                          .append(' ')
                          .append(name)
                          .append('=')
                          .append(
                              w instanceof WatchLoops.Stalled
                                  ? ((WatchLoops.Stalled) w).status()
                                  : ((WatchLoops.Responder) w).status()));
              out.println(status);
              break;
            case "run":
              String loop = cmd[1];
              long millis = Long.parseLong(cmd[2]);
              String[] p = loop.split(":");
              System.gc();
              Measurement m;
              String extra = "";
              switch (p[0]) {
                case "echo-unix-seq":
                  if (echo == null) {
                    throw new IllegalArgumentException("no echo address given");
                  }
                  m = Loops.sequential(i -> Echo.call(echo), millis);
                  break;
                case "put-seq":
                  m = Loops.sequential(i -> put.put(StateBench.KEY, i), millis);
                  break;
                case "rt":
                  m =
                      WatchLoops.roundTrips(
                          states.computeIfAbsent(p[1], ctx::state),
                          next.computeIfAbsent(p[1], k -> new AtomicInteger()),
                          millis);
                  break;
                case "rtx":
                  m =
                      WatchLoops.overlappedRoundTrips(
                          states.computeIfAbsent(p[1], ctx::state),
                          next.computeIfAbsent(p[1], k -> new AtomicInteger()),
                          millis);
                  break;
                case "fanout":
                  m =
                      WatchLoops.fanOut(
                          ctx, p[1], Integer.parseInt(p[2]), Integer.parseInt(p[3]), millis);
                  break;
                case "atomic":
                  AtomicLong runs = new AtomicLong();
                  m = WatchLoops.atomics(states.computeIfAbsent(p[1], ctx::state), runs, millis);
                  extra = " runs=" + runs.get();
                  break;
                case "incr":
                  m = WatchLoops.increments(states.computeIfAbsent(p[1], ctx::state), millis);
                  break;
                default:
                  throw new IllegalArgumentException("unknown loop " + loop);
              }
              out.println("BENCH RESULT " + loop + " " + m.toLine() + extra);
              break;
            default:
              throw new IllegalArgumentException("unknown command");
          }
        } catch (Exception e) {
          out.println("BENCH ERROR '" + line + "': " + e.toString().replace('\n', ' '));
          e.printStackTrace();
        }
      }
    } catch (Throwable e) {
      out.println("BENCH ERROR " + e.toString().replace('\n', ' '));
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
