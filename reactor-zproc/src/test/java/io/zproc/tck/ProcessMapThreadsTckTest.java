package io.zproc.tck;

import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK's publisher rules against {@code processMap}'s {@code Flux}, over worker
 * threads (fast); {@link ProcessMapJvmTckTest} runs them over worker JVMs. TestNG tests, run on the
 * JUnit Platform by the testng-engine.
 */
public class ProcessMapThreadsTckTest extends PublisherVerification<Long> {
  private final MapOptions options;
  private ZProc ctx;

  /** Worker threads. */
  public ProcessMapThreadsTckTest() {
    this(MapOptions.defaults().count(2).backend(Backend.THREAD));
  }

  ProcessMapThreadsTckTest(MapOptions options) {
    super(new TestEnvironment(5_000, 500));
    this.options = options;
  }

  /** One context for the class. */
  @BeforeClass
  public void startContext() {
    ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0));
  }

  /** Stops it and its workers. */
  @AfterClass
  public void closeContext() {
    ctx.close();
  }

  @Override
  public Publisher<Long> createPublisher(long elements) {
    Flux<Long> source =
        elements == 0
            ? Flux.empty()
            : Flux.<Long, Long>generate(
                () -> 0L,
                (i, sink) -> {
                  sink.next(i);
                  if (i == elements - 1) {
                    sink.complete();
                  }
                  return i + 1;
                });
    return ctx.processMap(source, (Long x) -> x * 2, options);
  }

  @Override
  public Publisher<Long> createFailedPublisher() {
    return ctx.processMap(
        Flux.<Long>error(new IllegalStateException("the source failed")), (Long x) -> x, options);
  }
}
