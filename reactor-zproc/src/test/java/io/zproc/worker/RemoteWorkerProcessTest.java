package io.zproc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.MapOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;

/**
 * processMap with remote workers in JVMs of their own ({@code ZProcWorker.main}, as {@code zproc
 * worker}): one over the class, and one killed mid-run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteWorkerProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String KEY = "remote-worker-process-test-key";
  private static final MapOptions REMOTE = MapOptions.defaults().remote(true);

  private Path keyFile;
  private ZProc ctx;
  private ChildWorker steady;

  @BeforeAll
  void start() throws Exception {
    keyFile = Files.createTempFile("zproc-worker-test", ".key");
    Files.writeString(keyFile, KEY);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    ctx = ZProc.start(ZProcOptions.defaults().secretKey(KEY).spareProcesses(0));
    steady = worker();
  }

  private ChildWorker worker() throws Exception {
    return ChildWorker.start(
        "--connect",
        ctx.address(),
        "--secret-key-file",
        keyFile.toString(),
        "--slots",
        "2",
        "--allow",
        "io.zproc.worker.**");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (steady != null) {
        steady.close();
      }
    } finally {
      if (ctx != null) {
        ctx.close();
      }
      Files.deleteIfExists(keyFile);
    }
  }

  @Test
  void processMap_childWorker_runsThereInOrder() {
    long here = ProcessHandle.current().pid();
    List<String> results =
        ctx.processMap(
                IntStream.range(0, 500).boxed().toList(),
                (Integer x) -> x + ":" + ProcessHandle.current().pid(),
                REMOTE.count(2))
            .collectList()
            .block(WAIT);
    assertThat(results).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(results.get(i)).isEqualTo(i + ":" + steady.pid());
    }
    assertThat(steady.pid()).isNotEqualTo(here);
  }

  @Test
  void processMap_workerKilledMidRun_batchesRunAgain_oneResultPerItem() throws Exception {
    List<String> results = new CopyOnWriteArrayList<>();
    ChildWorker doomed = worker();
    try {
      Disposable run =
          ctx.processMap(
                  IntStream.range(0, 200).boxed().toList(),
                  (Integer x) -> {
                    Thread.sleep(15);
                    return x + ":" + ProcessHandle.current().pid();
                  },
                  REMOTE.count(4).chunkSize(2))
              .subscribe(results::add);
      // both workers have batches (the broker fills the one with the most free slots first)
      await()
          .atMost(WAIT)
          .until(() -> results.stream().anyMatch(r -> r.endsWith(":" + doomed.pid())));
      doomed.kill();
      await().atMost(WAIT).until(run::isDisposed);
      assertThat(results).hasSize(200);
      for (int i = 0; i < 200; i++) {
        assertThat(results.get(i)).startsWith(i + ":");
      }
      Set<String> pids =
          results.stream().map(r -> r.substring(r.indexOf(':') + 1)).collect(Collectors.toSet());
      assertThat(pids).contains(String.valueOf(steady.pid()), String.valueOf(doomed.pid()));
    } finally {
      doomed.close();
    }
  }
}
