package io.zproc.rsocket.tck;

import io.zproc.rsocket.FluxMapError;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK's publisher rules against {@link FluxMapError}, the transport's
 * hand-written error mapper that every client stream passes through. TestNG tests, run on the JUnit
 * Platform by the testng-engine.
 */
public final class MapErrorTckTest extends PublisherVerification<Long> {
  /** The TCK's default timeouts, a little longer for a busy machine. */
  public MapErrorTckTest() {
    super(new TestEnvironment(2_000, 200));
  }

  @Override
  public Publisher<Long> createPublisher(long elements) {
    return FluxMapError.mapError(source(elements), e -> new IllegalStateException("mapped", e));
  }

  @Override
  public Publisher<Long> createFailedPublisher() {
    return FluxMapError.mapError(
        Flux.<Long>error(new IllegalArgumentException("failed")),
        e -> new IllegalStateException("mapped", e));
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }

  private static Flux<Long> source(long elements) {
    return elements == 0 ? Flux.empty() : Flux.range(0, (int) elements).map(Integer::longValue);
  }
}
