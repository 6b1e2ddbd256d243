package io.zproc.examples.guide;

import io.zproc.MapOptions;
import io.zproc.ZProc;
import java.io.Serializable;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;

/**
 * The guide's "Process Map": {@code map()} in parallel, over a pool of worker JVMs, with results in
 * the items' order. Common arguments are captured values; mapped arguments are the items (a record
 * gives them names, as {@code map_kwargs} did). The result is a lazy {@code Flux}, as the
 * original's was a generator.
 *
 * <pre>
 * list(ctx.process_map(square, [1, 2, 3, 4]))                          # [1, 4, 9, 16]
 * list(ctx.process_map(power, range(100), args=[3], count=10))         # [0, 1, 8, 27, ...]
 * list(ctx.process_map(power, map_args=[(2, 2), (3, 2), (6, 2), (2, 8)]))  # [4, 9, 36, 256]
 * list(ctx.process_map(my_thingy, args=[7], map_kwargs=[{'num': 10, 'exp': 3}, ...], count=5))
 * res = ctx.process_map(my_blocking_thingy, range(10)); next(res)      # 0, then 1, 4, 9, ...
 * </pre>
 */
public final class ProcessMapExample {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private ProcessMapExample() {}

  /** Mapped keyword arguments: one record per item. */
  record Power(int num, int exp) implements Serializable {}

  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      // Works similar to map(); the pool starts one worker JVM per processor and keeps it.
      List<Integer> squares =
          ctx.processMap(List.of(1, 2, 3, 4), (Integer num) -> num * num).collectList().block(WAIT);
      System.out.println("squares: " + squares);

      // Common arguments: captured. count=10 in the original; 2 workers keep this example light.
      int exp = 3;
      List<Integer> cubes =
          ctx.processMap(
                  IntStream.range(0, 100).boxed().collect(Collectors.toList()),
                  (Integer num) -> (int) Math.pow(num, exp),
                  MapOptions.defaults().count(2))
              .collectList()
              .block(WAIT);
      System.out.println(
          "cubes: " + cubes.subList(0, 5) + " ... " + cubes.subList(98, 100) + " (100 results)");

      // Mapped positional arguments: each item carries its own.
      List<Integer> powers =
          ctx.processMap(
                  List.of(new Power(2, 2), new Power(3, 2), new Power(6, 2), new Power(2, 8)),
                  (Power p) -> (int) Math.pow(p.num(), p.exp()))
              .collectList()
              .block(WAIT);
      System.out.println("powers: " + powers);

      // Common and mapped keyword arguments together.
      int seed = 7;
      List<BigInteger> thingies =
          ctx.processMap(
                  Flux.just(
                      new Power(10, 3),
                      new Power(5, 5),
                      new Power(5, 2),
                      new Power(9, 3),
                      new Power(5, 3),
                      new Power(4, 8),
                      new Power(1, 4)),
                  (Power p) ->
                      BigInteger.valueOf(p.num()).pow(p.exp()).add(BigInteger.valueOf(seed)),
                  MapOptions.defaults().count(2))
              .collectList()
              .block(WAIT);
      System.out.println("my_thingy: " + thingies);

      // Lazy, like the original's generator: nothing runs until results are asked for. The
      // iterator asks for up to 256 results at once, so the workers compute ahead in the
      // background, and each next() waits only if its result is not there yet. (The source is
      // never asked for more items than the subscriber asked results for: toIterable(1) would
      // run one item at a time.)
      long started = System.nanoTime();
      Iterator<Integer> res =
          ctx.processMap(
                  IntStream.range(0, 10).boxed().collect(Collectors.toList()),
                  (Integer x) -> {
                    Thread.sleep(200); // the original sleeps 5 s
                    return x * x;
                  },
                  MapOptions.defaults().count(2).chunkSize(1))
              .toIterable()
              .iterator();
      StringBuilder pulled = new StringBuilder();
      while (res.hasNext()) {
        pulled.append(res.next()).append(res.hasNext() ? ", " : "");
      }
      System.out.printf(
          "next(res) gave %s in %d ms%n", pulled, (System.nanoTime() - started) / 1_000_000);
    }
  }
}
