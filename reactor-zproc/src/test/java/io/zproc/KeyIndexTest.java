package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.server.ServerProbe;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * The server finds a key's watchers through an index and wakes them only for changes of their key;
 * a watcher that is not woken skips the changes of other keys without reading them. Each {@code
 * when*} variant is checked through that path: many changes of other keys (five times the journal's
 * length, so a cursor that had to read them would fall out of it) leave it waiting, and the change
 * of its key answers it with the state right after. {@code whenChange()} with no keys and {@code
 * when(predicate)} are tested on every change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyIndexTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int JOURNAL = 16;

  private ZProcServer server;
  private ZProc writerCtx;
  private ZProc directCtx;
  private ZProc socketCtx;
  private int namespaces;

  @BeforeAll
  void start() {
    server =
        ZProcServer.start(
            "tcp://127.0.0.1:0", ServerOptions.defaults().localSocket(false).journalSize(JOURNAL));
    ZProcOptions base = ZProcOptions.defaults().localSocket(false).spareProcesses(0);
    writerCtx = ZProc.connect(server.address(), base.directPath(false));
    directCtx = ZProc.connect(server.address(), base);
    socketCtx = ZProc.connect(server.address(), base.directPath(false));
  }

  @AfterAll
  void stop() {
    socketCtx.close();
    directCtx.close();
    writerCtx.close();
    server.close();
  }

  /** A wait, what the key holds before, and the change that answers it. */
  record Case(String name, Function<State, Mono<Snapshot>> waiter, Object before, Object answer) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Case[] cases = {
      new Case("whenEqual", s -> s.whenEqual("k", 7), 1, 7),
      new Case("whenNotEqual", s -> s.whenNotEqual("k", 1), 1, 2),
      new Case("whenNone", s -> s.whenNone("k"), 1, Remove.NULL),
      new Case("whenNotNone", s -> s.whenNotNone("k"), Remove.KEY, 3),
      new Case("whenAvailable", s -> s.whenAvailable("k"), Remove.KEY, 4),
      new Case("whenChange(k)", s -> s.whenChange("k"), 1, 5),
    };
    return Stream.of(cases).flatMap(c -> Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
  }

  /** Removing the key, or storing null, as a case's value. */
  enum Remove {
    KEY,
    NULL
  }

  @ParameterizedTest(name = "{0}, direct path: {1}")
  @MethodSource("cases")
  void keyWait_manyChangesOfOtherKeys_stillWaiting_changeOfItsKeyAnswers(Case c, boolean direct) {
    String ns = "index-" + (++namespaces);
    State writer = writerCtx.state(ns);
    set(writer, c.before());
    State watcher = (direct ? directCtx : socketCtx).state(ns);
    Mono<Snapshot> waiting = c.waiter().apply(watcher).cache();
    waiting.subscribe(s -> {}, e -> {});
    await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, ns) == 1);

    for (int i = 0; i < JOURNAL * 5; i++) {
      writer.put("other", i).block(WAIT);
    }
    assertThat(ServerProbe.watchCount(server, ns)).as("still waiting").isEqualTo(1);
    set(writer, c.answer());

    Snapshot answered = waiting.block(WAIT);
    assertThat(answered.get("other")).isEqualTo(JOURNAL * 5 - 1);
    assertThat(answered.get("k")).isEqualTo(c.answer() instanceof Remove ? null : c.answer());
    assertThat(answered.containsKey("k")).isEqualTo(c.answer() != Remove.KEY);
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {true, false})
  void unkeyedWaits_answeredByAChangeOfAnyKey(boolean direct) {
    String ns = "index-" + (++namespaces);
    State writer = writerCtx.state(ns);
    State watcher = (direct ? directCtx : socketCtx).state(ns);
    Mono<Snapshot> anyChange = watcher.whenChange().cache();
    Mono<Snapshot> predicate = watcher.when(s -> s.containsKey("z")).cache();
    anyChange.subscribe(s -> {}, e -> {});
    predicate.subscribe(s -> {}, e -> {});
    await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, ns) == 2);

    writer.put("x", 1).block(WAIT);
    assertThat(anyChange.block(WAIT).get("x")).isEqualTo(1);
    writer.put("z", 2).block(WAIT);
    assertThat(predicate.block(WAIT).get("z")).isEqualTo(2);
  }

  private static void set(State state, Object value) {
    if (value == Remove.KEY) {
      state.remove("k").block(WAIT);
    } else if (value == Remove.NULL) {
      state.put("k", null).block(WAIT);
    } else {
      state.put("k", value).block(WAIT);
    }
  }
}
