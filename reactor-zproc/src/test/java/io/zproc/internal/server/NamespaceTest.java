package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

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
            ns.commit(base, new String[] {"b"}, puts, new String[0], "t", false, 0)
                .get("ok")
                .asBoolean())
        .isFalse();
    var result = ns.commit(base, new String[] {"a"}, puts, new String[0], "t", false, 0);
    assertThat(result.get("ok").asBoolean()).isTrue();
    assertThat(ns.get("a")).isEqualTo(IntNode.valueOf(5));
    assertThat(ns.commit(base, null, puts, new String[0], "t", false, 0).get("ok").asBoolean())
        .isFalse();
  }

  @Test
  void commit_priorityLease_expiresWhenHolderDies() {
    Namespace ns = new Namespace("n", 100, 1 << 20, clock);
    ns.put("a", IntNode.valueOf(1), "w");
    var puts = JsonNodeFactory.instance.objectNode().put("a", 2);
    long t0 = 1_000_000_000L;
    // the loser asks for priority on a conflicting commit and then dies
    assertThat(ns.commit(0, null, puts, new String[0], "loser", true, t0).get("ok").asBoolean())
        .isFalse();
    long v = ns.version();
    assertThat(
            ns.commit(v, null, puts, new String[0], "other", false, t0 + 1_000_000)
                .get("ok")
                .asBoolean())
        .isFalse();
    assertThat(
            ns.commit(
                    v,
                    null,
                    puts,
                    new String[0],
                    "other",
                    false,
                    t0 + Namespace.PRIORITY_LEASE_NANOS + 1)
                .get("ok")
                .asBoolean())
        .isTrue();
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
