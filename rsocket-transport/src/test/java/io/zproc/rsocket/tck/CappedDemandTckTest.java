package io.zproc.rsocket.tck;

import io.zproc.rsocket.internal.FluxCappedDemand;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK's publisher rules against {@link FluxCappedDemand}, which passes a
 * subscriber's demand to the server in batches (a cap of 4 here, so the TCK's demands cross it).
 * TestNG tests, run on the JUnit Platform by the testng-engine.
 */
public final class CappedDemandTckTest extends PublisherVerification<Long> {
  /** The TCK's default timeouts, a little longer for a busy machine. */
  public CappedDemandTckTest() {
    super(new TestEnvironment(2_000, 200));
  }

  @Override
  public Publisher<Long> createPublisher(long elements) {
    return FluxCappedDemand.cap(source(elements), 4);
  }

  @Override
  public Publisher<Long> createFailedPublisher() {
    return FluxCappedDemand.cap(Flux.<Long>error(new IllegalArgumentException("failed")), 4);
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }

  private static Flux<Long> source(long elements) {
    return elements == 0 ? Flux.empty() : Flux.range(0, (int) elements).map(Integer::longValue);
  }
}
