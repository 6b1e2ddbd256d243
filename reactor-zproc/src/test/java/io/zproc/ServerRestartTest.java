package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.server.ServerProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;

/**
 * A change stream across a restart of its server (a new server on the same address): it used to
 * resume "after version 3" on the new server and silently skip that server's first three changes.
 * It ends with a {@link ChangesLostException} that says the server restarted.
 */
class ServerRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {true, false})
  void changeStream_acrossARestart_endsWithChangesLost(boolean direct) {
    ZProcServer first = ZProcServer.start("tcp://127.0.0.1:0");
    String address = first.address();
    List<Object> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> ended = new AtomicReference<>();
    ZProcOptions options =
        ZProcOptions.defaults().directPath(direct).localSocket(direct).spareProcesses(0);
    try (ZProc watcher = ZProc.connect(address, options)) {
      State state = watcher.state();
      Disposable stream = state.changes().subscribe(c -> seen.add(c.after().get("n")), ended::set);
      try (ZProc writer = ZProc.connect(address, options)) {
        for (int i = 1; i <= 3; i++) {
          writer.state().put("n", i).block(WAIT);
        }
      }
      await().atMost(WAIT).until(() -> seen.size() == 3);
      first.close();
      try (ZProcServer second = ZProcServer.start(address);
          ZProc writer = ZProc.connect(address, options)) {
        for (int i = 1; i <= 8; i++) {
          writer.state().put("n", i).block(WAIT);
        }
        await().atMost(WAIT).until(() -> ended.get() != null);
        assertThat(ended.get())
            .isInstanceOf(ChangesLostException.class)
            .hasMessageContaining("server restarted");
        assertThat(seen).containsExactly(1, 2, 3);
      } finally {
        stream.dispose();
      }
    } finally {
      first.close();
    }
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {true, false})
  void whenWaitingOnTheServer_acrossARestart_endsWithChangesLost(boolean direct) {
    ZProcServer first = ZProcServer.start("tcp://127.0.0.1:0");
    String address = first.address();
    AtomicReference<Throwable> ended = new AtomicReference<>();
    ZProcOptions options =
        ZProcOptions.defaults().directPath(direct).localSocket(direct).spareProcesses(0);
    try (ZProc watcher = ZProc.connect(address, options)) {
      for (int i = 1; i <= 3; i++) {
        watcher.state().put("n", i).block(WAIT);
      }
      Disposable wait =
          watcher.state().whenEqual("go", 1).subscribe(s -> ended.set(null), ended::set);
      // the server tested the state at version 3 and waits
      await().atMost(WAIT).until(() -> ServerProbe.watchCount(first, "default") > 0);
      first.close();
      try (ZProcServer second = ZProcServer.start(address);
          ZProc writer = ZProc.connect(address, options)) {
        for (int i = 1; i <= 5; i++) {
          writer.state().put("n", i).block(WAIT);
        }
        writer.state().put("go", 1).block(WAIT);
        await().atMost(WAIT).until(() -> ended.get() != null);
        assertThat(ended.get())
            .isInstanceOf(ChangesLostException.class)
            .hasMessageContaining("server restarted");
      } finally {
        wait.dispose();
      }
    } finally {
      first.close();
    }
  }
}
