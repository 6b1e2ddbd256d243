package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.internal.client.ContextProbe;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Every {@link State} operation, run once per transport by the subclasses. One server and one
 * context per class; each test works in a fresh namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StateContractTest {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  protected ZProcServer server;
  protected ZProc ctx;
  protected State state;

  /** Starts the server (or null when the context starts its own). */
  protected abstract ZProcServer startServer();

  /** Opens the context under test. */
  protected abstract ZProc open(ZProcServer server);

  /** The transport the context must use. */
  protected abstract String expectedTransport();

  @BeforeAll
  void startAll() {
    server = startServer();
    ctx = open(server);
    assertThat(ContextProbe.transport(ctx)).isEqualTo(expectedTransport());
  }

  @AfterAll
  void stopAll() {
    if (ctx != null) {
      ctx.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void freshNamespace(TestInfo info) {
    state =
        ctx.state(
            info.getTestMethod().orElseThrow().getName() + "-" + NAMESPACES.incrementAndGet());
  }

  @Test
  void put_thenGet_returnsValue() {
    state
        .put("apples", 5)
        .then(state.get("apples"))
        .as(StepVerifier::create)
        .expectNext(5)
        .verifyComplete();
  }

  @Test
  void get_absentKey_completesEmpty() {
    state.get("nothing").as(StepVerifier::create).verifyComplete();
  }

  @Test
  void put_null_isKeptAndContained() {
    state.put("n", null).block();
    state.get("n").as(StepVerifier::create).verifyComplete();
    state.containsKey("n").as(StepVerifier::create).expectNext(true).verifyComplete();
    state.containsKey("other").as(StepVerifier::create).expectNext(false).verifyComplete();
    assertThat(state.snapshot().block()).containsEntry("n", null);
  }

  @Test
  void numbers_comeBackByMagnitude() {
    state
        .putAll(
            Map.of(
                "i",
                5L,
                "l",
                5_000_000_000L,
                "b",
                new BigInteger("123456789012345678901234567890"),
                "d",
                2.5,
                "f",
                0.1f))
        .block();
    assertThat(state.get("i").block()).isEqualTo(5);
    assertThat(state.get("l").block()).isEqualTo(5_000_000_000L);
    assertThat(state.get("b").block()).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(state.get("d").block()).isEqualTo(2.5);
    assertThat(state.get("f").block()).isEqualTo(0.1);
    assertThat(state.get("i", Long.class).block()).isEqualTo(5L);
  }

  @Test
  void nestedValues_readAsCopies() {
    state.put("numbers", List.of(1, 2, 3)).block();
    @SuppressWarnings("unchecked")
    List<Object> numbers = (List<Object>) state.get("numbers").block();
    numbers.add(4);
    assertThat(state.get("numbers").block()).isEqualTo(List.of(1, 2, 3));
  }

  @Test
  void valueWrittenThenChangedLocally_serverKeepsValueAtCallTime() {
    List<Integer> list = new ArrayList<>(List.of(1));
    var put = state.put("l", list);
    list.add(2);
    put.block();
    assertThat(state.get("l").block()).isEqualTo(List.of(1));
  }

  record Point(int x, int y, String label) {}

  public static final class Bean {
    private String name;
    private List<String> tags;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public List<String> getTags() {
      return tags;
    }

    public void setTags(List<String> tags) {
      this.tags = tags;
    }
  }

  @Test
  void typedGet_recordsAndPojos() {
    state.put("p", new Point(1, 2, "a")).block();
    assertThat(state.get("p", Point.class).block()).isEqualTo(new Point(1, 2, "a"));
    assertThat(state.get("p").block()).isEqualTo(Map.of("x", 1, "y", 2, "label", "a"));
    Bean bean = new Bean();
    bean.setName("n");
    bean.setTags(List.of("t1", "t2"));
    state.put("bean", bean).block();
    Bean back = state.get("bean", Bean.class).block();
    assertThat(back.getName()).isEqualTo("n");
    assertThat(back.getTags()).containsExactly("t1", "t2");
  }

  @Test
  void typedGet_wrongType_errorsNamingKeyAndType() {
    state.put("word", "hello").block();
    state
        .get("word", Point.class)
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .hasMessageContaining("'word'")
                    .hasMessageContaining(Point.class.getName()))
        .verify(Duration.ofSeconds(10));
  }

  /** A bean Jackson cannot serialize: its getter throws. */
  public static final class Unmappable {
    public int getX() {
      throw new IllegalStateException("not mappable");
    }
  }

  @Test
  void put_unmappableValue_throwsNamingKeyAndType() {
    assertThatThrownBy(() -> state.put("t", new Unmappable()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'t'")
        .hasMessageContaining(Unmappable.class.getName());
  }

  @Test
  void remove_emitsRemovedValue() {
    state.put("k", "v").block();
    state.remove("k").as(StepVerifier::create).expectNext("v").verifyComplete();
    state.remove("k").as(StepVerifier::create).verifyComplete();
    state.containsKey("k").as(StepVerifier::create).expectNext(false).verifyComplete();
  }

  @Test
  void putIfAbsent_keepsExisting() {
    state.putIfAbsent("k", 1).as(StepVerifier::create).verifyComplete();
    state.putIfAbsent("k", 2).as(StepVerifier::create).expectNext(1).verifyComplete();
    assertThat(state.get("k").block()).isEqualTo(1);
    state.put("n", null).block();
    state.putIfAbsent("n", 3).as(StepVerifier::create).verifyComplete();
    assertThat(state.containsKey("n").block()).isTrue();
    assertThat(state.get("n").block()).isNull();
  }

  @Test
  void popItem_removesMostRecentlyInserted() {
    state.put("a", 1).then(state.put("b", 2)).then(state.put("a", 3)).block();
    state.popItem().as(StepVerifier::create).expectNext(Map.entry("b", 2)).verifyComplete();
    state.popItem().as(StepVerifier::create).expectNext(Map.entry("a", 3)).verifyComplete();
    state.popItem().as(StepVerifier::create).verifyComplete();
  }

  @Test
  void sizeClearAndSet() {
    state.putAll(Map.of("a", 1, "b", 2)).block();
    state.size().as(StepVerifier::create).expectNext(2).verifyComplete();
    LinkedHashMap<String, Object> fresh = new LinkedHashMap<>();
    fresh.put("z", 26);
    fresh.put("y", 25);
    state.set(fresh).block();
    assertThat(state.snapshot().block()).containsExactly(Map.entry("z", 26), Map.entry("y", 25));
    state.clear().block();
    state.size().as(StepVerifier::create).expectNext(0).verifyComplete();
  }

  @Test
  void snapshot_isOrderedUnmodifiableAndVersioned() {
    assertThat(state.snapshot().block().version()).isZero();
    state.put("c", 3).then(state.put("a", 1)).then(state.put("b", 2)).block();
    Snapshot snapshot = state.snapshot().block();
    assertThat(snapshot.version()).isEqualTo(3);
    assertThat(new ArrayList<>(snapshot.keySet())).containsExactly("c", "a", "b");
    assertThatThrownBy(() -> snapshot.put("d", 4))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyMutation_getsNextVersion_readsDoNot() {
    state.put("a", 1).block();
    state.put("a", 1).block();
    state.putAll(Map.of("b", 2, "c", 3)).block();
    state.get("a").block();
    state.remove("missing").block();
    state.increment("n", 1).block();
    assertThat(state.snapshot().block().version()).isEqualTo(4);
  }

  @Test
  void increment_addsAndCountsAbsentAsZero() {
    state.increment("n", 5).as(StepVerifier::create).expectNext(5L).verifyComplete();
    state.increment("n", -2).as(StepVerifier::create).expectNext(3L).verifyComplete();
    state.put("s", "x").block();
    state
        .increment("s", 1)
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .hasMessageContaining("'s'")
                    .extracting(x -> ((ZProcException) x).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void namespaces_areSeparate() {
    State other = state.namespace(state.namespace() + "-other");
    state.put("k", 1).block();
    other.put("k", 2).block();
    assertThat(state.get("k").block()).isEqualTo(1);
    assertThat(other.get("k").block()).isEqualTo(2);
    assertThat(other.namespace()).isEqualTo(state.namespace() + "-other");
  }

  @Test
  void longKeyInPutAllOrSet_errorsNamingTheLimit_nothingStored() {
    String key = "k".repeat(ServerOptions.DEFAULT_MAX_KEY_LENGTH + 1);
    java.util.Map<String, Object> entries = new java.util.LinkedHashMap<>();
    entries.put("short-before-long", 1);
    entries.put(key, 2);
    for (Mono<Void> call : List.of(state.putAll(entries), state.set(entries))) {
      call.as(StepVerifier::create)
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(ZProcException.class)
                      .hasMessageContaining("maxKeyLength"))
          .verify(Duration.ofSeconds(10));
    }
    assertThat(state.containsKey("short-before-long").block()).isFalse();
  }

  @Test
  void longKey_errorsNamingTheLimitAndOption() {
    String key = "k".repeat(ServerOptions.DEFAULT_MAX_KEY_LENGTH + 1);
    state
        .put(key, 1)
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .hasMessageContaining("1024")
                    .hasMessageContaining("maxKeyLength"))
        .verify(Duration.ofSeconds(10));
    state
        .put("fine", 1)
        .then(state.get("fine"))
        .as(StepVerifier::create)
        .expectNext(1)
        .verifyComplete();
  }

  @Test
  void asMap_behavesAsConcurrentMap() {
    ConcurrentMap<String, Object> map = state.asMap();
    assertThat(map.put("a", 1)).isNull();
    assertThat(map.put("a", 2)).isEqualTo(1);
    assertThat(map.get("a")).isEqualTo(2);
    assertThat(map.putIfAbsent("a", 3)).isEqualTo(2);
    assertThat(map.replace("a", 2, 4)).isTrue();
    assertThat(map.replace("a", 2, 5)).isFalse();
    assertThat(map.replace("a", 6)).isEqualTo(4);
    assertThat(map.replace("missing", 6)).isNull();
    assertThat(map.containsKey("missing")).isFalse();
    assertThat(map.remove("a", 5)).isFalse();
    assertThat(map.remove("a", 6)).isTrue();
    assertThat(map).isEmpty();
    map.put("x", null);
    assertThat(map.putIfAbsent("x", 1)).isNull();
    assertThat(map.get("x")).isEqualTo(1);
    map.merge("count", 1, (a, b) -> ((Integer) a) + ((Integer) b));
    map.merge("count", 1, (a, b) -> ((Integer) a) + ((Integer) b));
    assertThat(map.get("count")).isEqualTo(2);
    map.compute("count", (k, v) -> v == null ? 0 : ((Integer) v) * 10);
    assertThat(map.get("count")).isEqualTo(20);
    assertThat(map.containsValue(20L)).isTrue();
    assertThat(map.size()).isEqualTo(2);
    var it = map.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getKey().equals("x")) {
        it.remove();
      }
    }
    assertThat(map).containsOnlyKeys("count");
    map.clear();
    assertThat(map.isEmpty()).isTrue();
  }

  @Test
  void asMap_computeIsAtomicAcrossThreads() throws Exception {
    ConcurrentMap<String, Object> map = state.asMap();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    map.merge("n", 1, (a, b) -> ((Number) a).intValue() + ((Number) b).intValue());
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(map.get("n")).isEqualTo(200);
  }

  @Test
  void eightThreads_loseNoWrite() throws Exception {
    int threads = 8;
    int perThread = 200;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    state.put("t" + id + "-" + i, i).block();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(state.size().block()).isEqualTo(threads * perThread);
    assertThat(state.snapshot().block().version()).isEqualTo(threads * perThread);
  }

  @Test
  void manyInFlight_allAnswered() {
    Flux.range(0, 500)
        .flatMap(i -> state.put("k" + i, i), 64)
        .then(state.size())
        .as(StepVerifier::create)
        .expectNext(500)
        .verifyComplete();
  }

  @Test
  void ping_emitsServerPid() {
    ctx.ping().as(StepVerifier::create).expectNext(ProcessHandle.current().pid()).verifyComplete();
  }

  @Test
  void binaryAndStrings_roundTrip() {
    byte[] bytes = {1, 2, 3, (byte) 0xff};
    state.put("bytes", bytes).block();
    assertThat((byte[]) state.get("bytes").block()).isEqualTo(bytes);
    String text = "héllo ✓ 𝄞";
    state.put("text", text).block();
    assertThat(state.get("text").block()).isEqualTo(text);
    assertThat(Arrays.asList(state.get("bytes", byte[].class).block())).isNotNull();
  }
}
