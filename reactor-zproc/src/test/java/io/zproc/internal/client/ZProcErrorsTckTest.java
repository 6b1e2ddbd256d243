package io.zproc.internal.client;

import io.zproc.rsocket.WireException;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK's publisher rules against {@link ZProcErrors}, the hand-written error
 * mapper every call and stream of a context passes through. TestNG tests, run on the JUnit Platform
 * by the testng-engine.
 */
public final class ZProcErrorsTckTest extends PublisherVerification<Long> {
  /** The TCK's default timeouts, a little longer for a busy machine. */
  public ZProcErrorsTckTest() {
    super(new TestEnvironment(2_000, 200));
  }

  @Override
  public Publisher<Long> createPublisher(long elements) {
    return ZProcErrors.of(
        elements == 0 ? Flux.<Long>empty() : Flux.range(0, (int) elements).map(Integer::longValue));
  }

  @Override
  public Publisher<Long> createFailedPublisher() {
    return ZProcErrors.of(
        Flux.<Long>error(new WireException(WireException.CONNECTION_CLOSED, "failed")));
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }
}
