package io.zproc.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.ServerOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import io.zproc.internal.server.ServerProbe;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Issue 3: a watch cancelled while its pipeline was still subscribing could leave its server watch
 * open (until the connection closed). Reactor's subscription arbiter (behind {@code retryWhen} and
 * {@code onErrorMap}) loses a cancel that races with installing a subscription
 * (reactor/reactor-core#4398), so the RSocket stream (or the direct one) behind it was never
 * cancelled. Here each watch is cancelled from another thread a random few microseconds after its
 * subscriber got its subscription, which lands many cancels inside the pipeline's subscription.
 * Before the fix, 10,000 attempts left a few to a few dozen server watches on most runs (on both
 * paths); after it, none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Issue3Test {
  private static final int ATTEMPTS = 10_000;
  private static final long CANCEL_SPREAD_NANOS = 10_000;

  private ZProcServer server;

  @BeforeAll
  void start() {
    server = ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {false, true})
  void whenChange_cancelRacingWithSubscription_releasesServerWatch(boolean direct) {
    race(direct, "whenChange", s -> s.whenChange("never"));
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {false, true})
  void changes_cancelRacingWithSubscription_releasesServerWatch(boolean direct) {
    race(direct, "changes", s -> s.changes(0));
  }

  private void race(boolean direct, String name, Function<State, Publisher<?>> watch) {
    String ns = name + "-" + (direct ? "direct" : "socket");
    Queue<Subscription> toCancel = new ConcurrentLinkedQueue<>();
    AtomicInteger cancelled = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    // A plain thread (BlockHound would refuse the spinning on a Reactor thread).
    Thread canceller =
        new Thread(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              while (!Thread.currentThread().isInterrupted()) {
                Subscription s = toCancel.poll();
                if (s == null) {
                  Thread.onSpinWait();
                  continue;
                }
                long until = System.nanoTime() + random.nextLong(CANCEL_SPREAD_NANOS);
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
                s.cancel();
                cancelled.incrementAndGet();
              }
            },
            "issue3-canceller");
    canceller.setDaemon(true);
    try (ZProc ctx = ZProc.connect(server.address(), ZProcOptions.defaults().directPath(direct))) {
      State state = ctx.state(ns);
      state.size().block(Duration.ofSeconds(10));
      canceller.start();
      for (int i = 0; i < ATTEMPTS; i++) {
        watch.apply(state).subscribe(new CancelledSubscriber(toCancel, errors));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> cancelled.get() == ATTEMPTS);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(ServerProbe.watchCount(server, ns)).isZero());
      assertThat(errors).hasValue(0);
    } finally {
      canceller.interrupt();
    }
  }

  /** Requests everything, hands its subscription over to be cancelled, and counts errors. */
  private static final class CancelledSubscriber implements Subscriber<Object> {
    private final Queue<Subscription> toCancel;
    private final AtomicInteger errors;

    CancelledSubscriber(Queue<Subscription> toCancel, AtomicInteger errors) {
      this.toCancel = toCancel;
      this.errors = errors;
    }

    @Override
    public void onSubscribe(Subscription s) {
      toCancel.add(s);
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object value) {}

    @Override
    public void onError(Throwable error) {
      errors.incrementAndGet();
    }

    @Override
    public void onComplete() {}
  }
}
