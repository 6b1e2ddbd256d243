package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.server.ServerProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link State#drop()} forgets a namespace: the watchers of every client are told, the name starts
 * anew, and the server's namespace limit counts only namespaces that exist.
 */
class DropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ZProcOptions client(boolean direct) {
    return ZProcOptions.defaults().directPath(direct).localSocket(false).spareProcesses(0);
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {true, false})
  void drop_endsEveryWatchWithChangesLost_nameStartsAnewEmpty(boolean direct) {
    try (ZProcServer server =
            ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().localSocket(false));
        ZProc watcher = ZProc.connect(server.address(), client(direct));
        ZProc owner = ZProc.connect(server.address(), client(false))) {
      State state = owner.state("scratch");
      state.put("a", 1).block(WAIT);
      state.put("a", 2).block(WAIT);
      AtomicReference<Throwable> streamEnded = new AtomicReference<>();
      Disposable stream = watcher.state("scratch").changes().subscribe(c -> {}, streamEnded::set);
      Mono<Snapshot> waiting = watcher.state("scratch").whenEqual("a", 99).cache();
      Disposable wait = waiting.subscribe(s -> {}, e -> {});
      await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, "scratch") == 2);

      state.drop().as(StepVerifier::create).expectNext(true).expectComplete().verify(WAIT);

      await().atMost(WAIT).until(() -> streamEnded.get() != null);
      assertThat(streamEnded.get())
          .isInstanceOf(ChangesLostException.class)
          .hasMessageContaining("'scratch' was dropped");
      waiting
          .as(StepVerifier::create)
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(ChangesLostException.class)
                      .hasMessageContaining("dropped"))
          .verify(WAIT);
      // the name starts anew: empty, at version 0
      assertThat(state.size().block(WAIT)).isZero();
      assertThat(state.snapshot().block(WAIT).version()).isZero();
      state.drop().as(StepVerifier::create).expectNext(true).expectComplete().verify(WAIT);
      state.drop().as(StepVerifier::create).expectNext(false).expectComplete().verify(WAIT);
      stream.dispose();
      wait.dispose();
    }
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {true, false})
  void namespacesPastTheLimit_refusedNamingIt_dropFreesOne(boolean direct) {
    ServerOptions options = ServerOptions.defaults().localSocket(false).maxNamespaces(2);
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0", options);
        ZProc ctx = ZProc.connect(server.address(), client(direct).namespace("one"))) {
      ctx.state("one").put("k", 1).block(WAIT);
      ctx.state("two").put("k", 2).block(WAIT);

      ctx.state("three")
          .put("k", 3)
          .as(StepVerifier::create)
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(ZProcException.class)
                      .hasMessageContaining("maxNamespaces")
                      .extracting(z -> ((ZProcException) z).code())
                      .isEqualTo(ErrorCode.LIMIT_EXCEEDED))
          .verify(WAIT);

      ctx.state("two").drop().block(WAIT);
      ctx.state("three").put("k", 3).block(WAIT);
      assertThat(ctx.state("three").get("k").block(WAIT)).isEqualTo(3);
      assertThat(ctx.state("one").get("k").block(WAIT)).isEqualTo(1);
    }
  }
}
