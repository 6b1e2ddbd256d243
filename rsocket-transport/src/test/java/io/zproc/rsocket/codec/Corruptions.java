package io.zproc.rsocket.codec;

import java.util.Arrays;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Ways to damage an encoded message, for the codec's property tests. */
final class Corruptions {
  private Corruptions() {}

  /** One byte replaced by a random one. */
  static Arbitrary<Function<byte[], byte[]>> flip() {
    return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.bytes())
        .as(
            (at, value) ->
                bytes -> {
                  byte[] copy = bytes.clone();
                  copy[at % copy.length] = value;
                  return copy;
                });
  }

  /** Cut short. */
  static Arbitrary<Function<byte[], byte[]>> truncate() {
    return Arbitraries.integers()
        .between(0, 10_000)
        .map(at -> bytes -> Arrays.copyOf(bytes, at % bytes.length));
  }
}
