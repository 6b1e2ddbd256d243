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
import java.util.function.IntFunction;
import reactor.core.publisher.Mono;

/**
 * The client side of {@link StateBench} in a second JVM.
 *
 * <pre>
 * java -cp ... io.zproc.bench.RemoteClient &lt;zproc address&gt; auto|tcp [echo address ...]
 * </pre>
 *
 * {@code auto} connects with {@link ZProcOptions#defaults()} (a server on this host is reached
 * through its unix-domain socket), {@code tcp} forces loopback TCP. Each echo address ({@code
 * tcp://}, {@code unix://}) adds raw RSocket echo loops named {@code echo-tcp-seq} and {@code
 * echo-unix-seq} (and {@code -chain} variants, see {@code put-chain}); each {@link NioEcho} address
 * ({@code nio-tcp://}, {@code nio-unix://}) adds a blocking java.nio echo loop named {@code
 * nio-tcp-seq} or {@code nio-unix-seq}.
 *
 * <p>Then it reads commands on stdin, one a line, and answers each on stdout:
 *
 * <pre>
 * run &lt;loop&gt; &lt;millis&gt;   →  BENCH RESULT &lt;loop&gt; ops=.. nanos=.. p50=.. p99=..
 * quit                      →  (exits)
 * </pre>
 *
 * Loops: {@code put-seq}, {@code get-seq}, {@code put-64}, the echo loops, and two experiments:
 * {@code put-chain} (one put at a time, each issued when the last completes, with no blocked
 * thread: {@code flatMap} concurrency 1) and {@code put-spin} (the caller spins instead of
 * parking). On start it prints {@code BENCH READY transport=<how it reached the server>
 * loops=<names>}; a failure prints {@code BENCH ERROR <message>}. It exits when stdin closes, so it
 * never outlives its parent.
 */
public final class RemoteClient {
  private RemoteClient() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length < 2) {
      out.println("BENCH ERROR usage: RemoteClient <address> auto|tcp [echo address ...]");
      System.exit(2);
    }
    ZProcOptions options = ZProcOptions.defaults();
    if (args[1].equals("tcp")) {
      options = options.directPath(false).localSocket(false);
    }
    Map<String, Loop> loops = new LinkedHashMap<>();
    try (ZProc ctx = ZProc.connect(args[0], options)) {
      State state = ctx.state();
      state.put(StateBench.KEY, 0).block();
      loops.put("put-seq", millis -> Loops.sequential(i -> state.put(StateBench.KEY, i), millis));
      loops.put("get-seq", millis -> Loops.sequential(i -> state.get(StateBench.KEY), millis));
      loops.put(
          "put-64", millis -> Loops.concurrent(i -> state.put(StateBench.KEY, i), 64, millis));
      loops.put(
          "put-chain", millis -> Loops.concurrent(i -> state.put(StateBench.KEY, i), 1, millis));
      loops.put("put-spin", millis -> Loops.spinning(i -> state.put(StateBench.KEY, i), millis));
      for (int a = 2; a < args.length; a++) {
        String address = args[a];
        if (address.startsWith("nio-")) {
          NioEcho.Client nio = new NioEcho.Client(address);
          String name = address.substring(0, address.indexOf(':')) + "-seq";
          loops.put(name, millis -> Loops.blocking(i -> nio.call(), millis));
          continue;
        }
        RSocket echo = Echo.connect(address);
        IntFunction<Mono<Void>> call = i -> Echo.call(echo);
        String name = "echo-" + address.substring(0, address.indexOf(':'));
        loops.put(name + "-seq", millis -> Loops.sequential(call, millis));
        loops.put(name + "-chain", millis -> Loops.concurrent(call, 1, millis));
      }
      out.println(
          "BENCH READY transport="
              + ((Introspection) ctx).transport()
              + " loops="
              + String.join(",", loops.keySet()));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] cmd = line.trim().split("\\s+");
        if (cmd[0].equals("quit")) {
          break;
        }
        if (!cmd[0].equals("run") || cmd.length != 3 || !loops.containsKey(cmd[1])) {
          out.println("BENCH ERROR unknown command '" + line + "'; loops: " + loops.keySet());
          continue;
        }
        System.gc();
        Measurement m = loops.get(cmd[1]).run(Long.parseLong(cmd[2]));
        out.println("BENCH RESULT " + cmd[1] + " " + m.toLine());
      }
    } catch (Throwable e) {
      out.println("BENCH ERROR " + e.toString().replace('\n', ' '));
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** A measuring loop run for a number of milliseconds. */
  interface Loop {
    Measurement run(long millis);
  }
}
