package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.zproc.internal.protocol.ErrorCodes;
import io.zproc.rsocket.WireException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class NamespaceTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void mutations_recordChangesWithBeforeAfterAndOrigin() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(1), "c1");
    ns.put("a", IntNode.valueOf(2), "c2");
    ns.remove("a", "c1");
    List<ChangeRecord> changes = ns.changesAfter(0);
    assertThat(changes).extracting(c -> c.version).containsExactly(1L, 2L, 3L);
    ChangeRecord second = changes.get(1);
    assertThat(second.origin).isEqualTo("c2");
    assertThat(second.keys).containsExactly("a");
    assertThat(second.before[0]).isEqualTo(IntNode.valueOf(1));
    assertThat(second.after[0]).isEqualTo(IntNode.valueOf(2));
    assertThat(second.timestampMillis).isEqualTo(clock.millis());
    assertThat(changes.get(2).after[0]).isNull();
    assertThat(changes.get(0).before[0]).isNull();
  }

  @Test
  void identical_whenValueEqualAsJson() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(5), "c");
    ns.put("a", LongNode.valueOf(5), "c");
    ns.put("a", TextNode.valueOf("5"), "c");
    List<ChangeRecord> changes = ns.changesAfter(1);
    assertThat(changes.get(0).identical).isTrue();
    assertThat(changes.get(1).identical).isFalse();
  }

  @Test
  void valueAt_rebuildsOneKeyFromTheJournal_lostWhenTooOld() {
    Namespace ns = new Namespace("n", 5, 1 << 20, clock);
    ns.put("k", IntNode.valueOf(1), "c"); // v1
    ns.put("x", IntNode.valueOf(9), "c"); // v2
    ns.remove("k", "c"); // v3
    ns.put("k", IntNode.valueOf(4), "c"); // v4
    assertThat(ns.valueAt("k", 1)).isEqualTo(IntNode.valueOf(1));
    assertThat(ns.valueAt("k", 2)).isEqualTo(IntNode.valueOf(1));
    assertThat(ns.valueAt("k", 3)).isNull();
    assertThat(ns.valueAt("k", 4)).isEqualTo(IntNode.valueOf(4));
    assertThat(ns.valueAt("k", 99)).isEqualTo(IntNode.valueOf(4));
    assertThat(ns.valueAt("k", 0)).isNull();
    for (int i = 0; i < 10; i++) {
      ns.put("y", IntNode.valueOf(i), "c");
    }
    assertThatThrownBy(() -> ns.valueAt("k", 2))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("no longer in the server's journal")
        .hasMessageContaining("ServerOptions.journalSize");
  }

  @Test
  void snapshotIf_testsAndSnapshotsAtomically() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("k", IntNode.valueOf(1), "c");
    ns.put("x", IntNode.valueOf(2), "c");
    long[] version = new long[1];
    assertThat(ns.snapshotIf("k", v -> v != null && v.intValue() == 2, version)).isNull();
    assertThat(version[0]).isEqualTo(2);
    ObjectNode snap = ns.snapshotIf("k", v -> v != null && v.intValue() == 1, version);
    assertThat(snap.get("ver").longValue()).isEqualTo(2);
    assertThat(snap.get("m").get("x")).isEqualTo(IntNode.valueOf(2));
    assertThat(ns.snapshotIf("absent", v -> v == null, version)).isNotNull();
  }

  @Test
  void journal_boundedByCount_keepsNewest() {
    Namespace ns = new Namespace("n", 10, 1 << 30, clock);
    for (int i = 0; i < 25; i++) {
      ns.put("k", IntNode.valueOf(i), "c");
    }
    assertThat(ns.journalSize()).isEqualTo(10);
    assertThat(ns.oldestJournalVersion()).isEqualTo(16);
    assertThat(ns.version()).isEqualTo(25);
  }

  @Test
  void journal_boundedByBytes() {
    Namespace ns = new Namespace("n", 1_000_000, 10_000, clock);
    for (int i = 0; i < 100; i++) {
      ns.put("k", TextNode.valueOf("x".repeat(1000)), "c");
    }
    assertThat(ns.journalSize()).isBetween(1, 10);
  }

  @Test
  void noChange_noVersion() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.remove("absent", "c");
    ns.clear("c");
    ns.putAll(JsonNodeFactory.instance.objectNode(), "c");
    assertThat(ns.removeIf("absent", IntNode.valueOf(1), "c")).isFalse();
    assertThat(ns.version()).isZero();
    assertThat(ns.journalSize()).isZero();
  }

  @Test
  void set_touchesOldAndNewKeys() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("old", IntNode.valueOf(1), "c");
    ns.set(JsonNodeFactory.instance.objectNode().put("new", 2), "c");
    ChangeRecord change = ns.changesAfter(1).get(0);
    assertThat(change.keys).containsExactly("old", "new");
    assertThat(change.after[0]).isNull();
    assertThat(change.before[1]).isNull();
  }

  @Test
  void commit_conflictsOnlyWhenWhatWasReadChanged() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(1), "w");
    ns.put("b", IntNode.valueOf(1), "w");
    long base = ns.version();
    ns.put("b", IntNode.valueOf(2), "w");
    var puts = JsonNodeFactory.instance.objectNode().put("a", 5);
    assertThat(
            ns.commit(base, new String[] {"b"}, puts, new String[0], "t", 0, 0)
                .reply()
                .get("ok")
                .asBoolean())
        .isFalse();
    var result = ns.commit(base, new String[] {"a"}, puts, new String[0], "t", 0, 0).reply();
    assertThat(result.get("ok").asBoolean()).isTrue();
    assertThat(ns.get("a")).isEqualTo(IntNode.valueOf(5));
    assertThat(ns.commit(base, null, puts, new String[0], "t", 0, 0).reply().get("ok").asBoolean())
        .isFalse();
  }

  /** A waiter whose grant lands in {@code got}. */
  private static AtomicLock.Waiter waiter(Object owner, AtomicReference<JsonNode> got) {
    AtomicLock.Waiter[] made = new AtomicLock.Waiter[1];
    Mono.<JsonNode>create(sink -> made[0] = new AtomicLock.Waiter(owner, sink)).subscribe(got::set);
    return made[0];
  }

  @Test
  void atomicLock_takenInTurn_commitHandsItToTheNextWaiterWithTheFreshState() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(1), "w");
    AtomicReference<JsonNode> first = new AtomicReference<>();
    AtomicReference<JsonNode> second = new AtomicReference<>();

    ObjectNode granted = ns.lock().begin(waiter("A", first), 0).state();
    assertThat(ns.lock().begin(waiter("B", second), 1)).as("B waits while A holds it").isNull();

    long token = granted.get("tok").asLong();
    var puts = JsonNodeFactory.instance.objectNode().put("a", 2);
    Namespace.Committed committed =
        ns.commit(granted.get("ver").asLong(), null, puts, new String[0], "A", token, 2);

    assertThat(committed.reply().get("ok").asBoolean()).isTrue();
    assertThat(committed.next()).isNotNull();
    committed.next().deliver();
    assertThat(second.get().get("m").get("a").asInt()).isEqualTo(2);
    assertThat(second.get().get("tok").asLong()).isNotEqualTo(token);
  }

  @Test
  void atomicLock_waitersPastTheLimit_refusedNamingIt_theQueuedKeepTheirPlace() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    AtomicReference<JsonNode> queued = new AtomicReference<>();
    ObjectNode granted = ns.lock().begin(waiter("A", new AtomicReference<>()), 0, 1).state();
    assertThat(ns.lock().begin(waiter("B", queued), 1, 1)).as("B waits in turn").isNull();

    assertThatThrownBy(() -> ns.lock().begin(waiter("C", new AtomicReference<>()), 2, 1))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("maxAtomicWaiters")
        .hasMessageContaining("'n'")
        .satisfies(e -> assertThat(((WireException) e).code()).isEqualTo("LIMIT_EXCEEDED"));

    AtomicLock.Grant next = ns.lock().release(granted.get("tok").asLong(), 3);
    assertThat(next).isNotNull();
    next.deliver();
    assertThat(queued.get()).as("B got the lock after A").isNotNull();
  }

  @Test
  void drop_waiterForTheLock_failsWithChangesLost() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicLock.Waiter[] queued = new AtomicLock.Waiter[1];
    Mono.<JsonNode>create(sink -> queued[0] = new AtomicLock.Waiter("B", sink))
        .subscribe(v -> {}, failed::set);
    assertThat(ns.lock().begin(waiter("A", new AtomicReference<>()), 0)).isNotNull();
    assertThat(ns.lock().begin(queued[0], 1)).isNull();

    ns.drop();

    assertThat(failed.get())
        .isInstanceOf(WireException.class)
        .hasMessageContaining("'n' was dropped")
        .extracting(e -> ((WireException) e).code())
        .isEqualTo(ErrorCodes.CHANGES_LOST);
    assertThat(ns.isDropped()).isTrue();
  }

  @Test
  void atomicLock_holderThatConflictsKeepsIt_staleTokenStillCommitsIfNothingItReadChanged() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(1), "w");
    ObjectNode granted = ns.lock().begin(waiter("A", new AtomicReference<>()), 0).state();
    long token = granted.get("tok").asLong();
    long base = granted.get("ver").asLong();
    ns.put("a", IntNode.valueOf(9), "someone else");
    var puts = JsonNodeFactory.instance.objectNode().put("a", 2);

    ObjectNode conflict =
        ns.commit(base, new String[] {"a"}, puts, new String[0], "A", token, 1).reply();

    assertThat(conflict.get("ok").asBoolean()).isFalse();
    assertThat(conflict.get("held").asBoolean()).isTrue();
    assertThat(conflict.get("snap").get("m").get("a").asInt()).isEqualTo(9);
    assertThat(ns.lock().begin(waiter("B", new AtomicReference<>()), 2))
        .as("A still holds it")
        .isNull();

    var other = JsonNodeFactory.instance.objectNode().put("b", 1);
    Namespace.Committed stale =
        ns.commit(ns.version(), new String[] {"b"}, other, new String[0], "C", 12345, 3);
    assertThat(stale.reply().get("ok").asBoolean()).isTrue();
    assertThat(stale.next()).as("a stale token does not hand the lock on").isNull();
  }

  @Test
  void atomicLock_leaseRunsOut_orOwnerGoes_nextWaiterGetsIt() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    assertThat(ns.lock().begin(waiter("dead", new AtomicReference<>()), 0)).isNotNull();
    AtomicReference<JsonNode> b = new AtomicReference<>();
    assertThat(ns.lock().begin(waiter("B", b), AtomicLock.LEASE_NANOS - 1)).isNull();
    AtomicLock.Grant late =
        ns.lock().begin(waiter("C", new AtomicReference<>()), AtomicLock.LEASE_NANOS + 1);
    assertThat(late).as("the holder kept it past its lease: the first waiter gets it").isNotNull();
    late.deliver();
    assertThat(b.get()).isNotNull();
    assertThat(ns.lock().begin(waiter("E", new AtomicReference<>()), AtomicLock.LEASE_NANOS + 2))
        .as("C waits behind B")
        .isNull();

    Namespace queue = new Namespace("q", 100, 1 << 20, clock);
    AtomicLock.Grant first = queue.lock().begin(waiter("F", new AtomicReference<>()), 0);
    AtomicLock.Waiter gaveUp = waiter("G", new AtomicReference<>());
    assertThat(queue.lock().begin(gaveUp, 1)).isNull();
    AtomicReference<JsonNode> h = new AtomicReference<>();
    assertThat(queue.lock().begin(waiter("H", h), 2)).isNull();
    gaveUp.cancelled = true;
    AtomicLock.Grant afterF = queue.lock().release(first.state().get("tok").asLong(), 3);
    assertThat(afterF).isNotNull();
    afterF.deliver();
    assertThat(h.get()).as("H, past the waiter that gave up").isNotNull();

    Namespace other = new Namespace("o", 100, 1 << 20, clock);
    AtomicReference<JsonNode> got = new AtomicReference<>();
    other.lock().begin(waiter("gone", new AtomicReference<>()), 0);
    other.lock().begin(waiter("gone", new AtomicReference<>()), 1);
    other.lock().begin(waiter("D", got), 2);
    AtomicLock.Grant next = other.lock().releaseOwner("gone", 3);
    assertThat(next).isNotNull();
    next.deliver();
    assertThat(got.get()).as("D, not the closed owner's queued wait").isNotNull();
  }

  @Test
  void snapshotAt_rebuildsOlderVersion() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(1), "w");
    ns.put("b", IntNode.valueOf(2), "w");
    ns.put("a", IntNode.valueOf(3), "w");
    ns.remove("b", "w");
    var at2 = ns.snapshotAt(2);
    assertThat(at2.get("ver").asLong()).isEqualTo(2);
    assertThat(at2.get("m").get("a").asInt()).isEqualTo(1);
    assertThat(at2.get("m").get("b").asInt()).isEqualTo(2);
    assertThat(ns.snapshotAt(4).get("m").has("b")).isFalse();
  }
}
