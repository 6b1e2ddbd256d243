package io.zproc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.MapOptions;
import io.zproc.ServerOptions;
import io.zproc.StatefulMapTask;
import io.zproc.WorkerOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import io.zproc.ZProcWorker;
import io.zproc.rsocket.testing.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** Remote workers against standalone servers: over TLS, across a server restart, on cancel. */
class RemoteWorkerServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String KEY = "remote-worker-server-test";
  private static final String PASSWORD = "changeit";
  private static final MapOptions REMOTE = MapOptions.defaults().remote(true).count(2);
  private static final WorkerOptions WORKER =
      WorkerOptions.defaults().secretKey(KEY).slots(2).allow("io.zproc.worker.**");

  @TempDir Path dir;

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void tlsServer_workerWithTheTrust_servesAContextOverTls() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path certificate = dir.resolve("server.pem");
    SelfSignedCertificate.make(keyStore, certificate, PASSWORD);
    try (ZProcServer server =
            ZProcServer.start(
                "tcp://127.0.0.1:0",
                ServerOptions.defaults()
                    .tls(keyStore, PASSWORD)
                    .secretKey(KEY)
                    .localSocket(false));
        ZProcWorker worker = ZProcWorker.start(server.address(), WORKER.tls(certificate));
        ZProc ctx =
            ZProc.connect(
                server.address(),
                ZProcOptions.defaults().secretKey(KEY).tls(certificate).spareProcesses(0))) {
      assertThat(ctx.processMap(range(100), (Integer x) -> x * 3, REMOTE).collectList().block(WAIT))
          .isEqualTo(range(100).stream().map(x -> x * 3).toList());
    }
  }

  @Test
  void serverRestarts_workerJoinsAgain() {
    ZProcServer first =
        ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().secretKey(KEY));
    String address = first.address();
    ZProcWorker worker = ZProcWorker.start(address, WORKER);
    try {
      first.close();
      try (ZProcServer second =
              ZProcServer.start(address, ServerOptions.defaults().secretKey(KEY));
          ZProc ctx =
              ZProc.connect(address, ZProcOptions.defaults().secretKey(KEY).spareProcesses(0))) {
        assertThat(ctx.processMap(range(50), (Integer x) -> x, REMOTE).collectList().block(WAIT))
            .isEqualTo(range(50));
      }
    } finally {
      worker.close();
    }
  }

  @Test
  void cancel_stopsTheBatchesRunningOnTheWorker() {
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().secretKey(KEY).spareProcesses(0));
        ZProcWorker worker = ZProcWorker.start(ctx.address(), WORKER)) {
      StatefulMapTask<Integer, Integer> slow =
          (state, x) -> {
            state.increment("started", 1).block();
            Thread.sleep(200);
            return x;
          };
      // two batches of 50 items of 200 ms: 10 s each, on both slots
      Disposable run =
          ctx.processMap(
                  reactor.core.publisher.Flux.fromIterable(range(100)), slow, REMOTE.chunkSize(50))
              .subscribe();
      await().atMost(WAIT).until(() -> ctx.state().get("started").block(WAIT) != null);
      run.dispose();
      long start = System.nanoTime();
      assertThat(ctx.processMap(range(4), (Integer x) -> x, REMOTE).collectList().block(WAIT))
          .isEqualTo(range(4));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat((Integer) ctx.state().get("started").block(WAIT)).isLessThan(40);
    }
  }
}
