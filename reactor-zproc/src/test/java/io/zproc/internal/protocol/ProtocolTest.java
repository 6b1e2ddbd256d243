package io.zproc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The protocol's names are the wire format: these pin them and the reply shapes. */
class ProtocolTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void op_wireNames_asDocumented() {
    assertThat(Arrays.stream(Op.values()).map(Op::wireName).collect(Collectors.toList()))
        .containsExactly(
            "get",
            "put",
            "remove",
            "removeIf",
            "replace",
            "replaceIf",
            "putAll",
            "putIfAbsent",
            "popItem",
            "containsKey",
            "containsValue",
            "size",
            "clear",
            "set",
            "snapshot",
            "increment",
            "ping",
            "version",
            "begin",
            "commit",
            "abort",
            "when",
            "watch",
            "drop",
            "namespaces",
            "worker",
            "mapBatch",
            "mapDone",
            "mapDrop");
  }

  @Test
  void op_of_everyWireName_roundTrips() {
    for (Op op : Op.values()) {
      assertThat(Op.of(op.wireName())).isSameAs(op);
    }
    assertThat(Op.of("$ping")).isNull();
    assertThat(Op.of("GET")).isNull();
  }

  @Test
  void op_mutations_areTheWritingOperations() {
    assertThat(Arrays.stream(Op.values()).filter(Op::isMutation).collect(Collectors.toList()))
        .containsExactly(
            Op.PUT,
            Op.REMOVE,
            Op.REMOVE_IF,
            Op.REPLACE,
            Op.REPLACE_IF,
            Op.PUT_ALL,
            Op.PUT_IF_ABSENT,
            Op.POP_ITEM,
            Op.CLEAR,
            Op.SET,
            Op.INCREMENT,
            Op.COMMIT);
  }

  @Test
  void keyTest_wireNames_roundTrip() {
    assertThat(Arrays.stream(KeyTest.values()).map(KeyTest::wireName).collect(Collectors.toList()))
        .containsExactly("eq", "ne", "none", "notnone", "avail");
    for (KeyTest test : KeyTest.values()) {
      assertThat(KeyTest.named(test.wireName())).isSameAs(test);
    }
    assertThat(KeyTest.named(KeyTest.ANY_CHANGE)).isNull();
    assertThat(KeyTest.wireNames()).isEqualTo("eq, ne, none, notnone, avail, change");
  }

  @Test
  void keyTest_absentKey_passesNone() {
    for (KeyTest test : KeyTest.values()) {
      assertThat(test.of(F.numberNode(1)).test(null)).as(test.name()).isFalse();
    }
  }

  @Test
  void keyTest_values_asTheWhenWatchersMeanThem() {
    JsonNode five = F.numberNode(5);
    JsonNode fivePointZero = F.numberNode(5.0);
    JsonNode six = F.numberNode(6);
    JsonNode nul = F.nullNode();
    Predicate<JsonNode> eq = KeyTest.EQUAL.of(five);
    Predicate<JsonNode> ne = KeyTest.NOT_EQUAL.of(five);
    assertThat(List.of(eq.test(fivePointZero), eq.test(six), eq.test(nul)))
        .containsExactly(true, false, false);
    assertThat(List.of(ne.test(fivePointZero), ne.test(six), ne.test(nul)))
        .containsExactly(false, true, true);
    assertThat(List.of(KeyTest.NONE.of(null).test(nul), KeyTest.NONE.of(null).test(six)))
        .containsExactly(true, false);
    assertThat(List.of(KeyTest.NOT_NONE.of(null).test(nul), KeyTest.NOT_NONE.of(null).test(six)))
        .containsExactly(false, true);
    assertThat(List.of(KeyTest.AVAILABLE.of(null).test(nul), KeyTest.AVAILABLE.of(null).test(six)))
        .containsExactly(true, true);
  }

  @Test
  void replies_encode_asDocumented() {
    ObjectNode entries = F.objectNode().put("a", 1);
    ObjectNode state = new Replies.StateReply(7, entries).encode();
    assertThat(state.toString()).isEqualTo("{\"ver\":7,\"m\":{\"a\":1}}");
    assertThat(new Replies.Popped("k", F.textNode("v")).encode().toString())
        .isEqualTo("{\"k\":\"k\",\"v\":\"v\"}");
    assertThat(new Replies.Pending(3, 9).encode().toString()).isEqualTo("{\"at\":3,\"ep\":9}");
    assertThat(new Replies.Answer(null, state).encode().toString())
        .isEqualTo("{\"snap\":" + state + "}");
    assertThat(new Replies.Answer(F.objectNode(), state).encode().toString())
        .isEqualTo("{\"change\":{},\"snap\":" + state + "}");
    assertThat(Replies.Commit.committed(8).toString()).isEqualTo("{\"ok\":true,\"ver\":8}");
    assertThat(Replies.Commit.conflict(state, true).toString())
        .isEqualTo("{\"ok\":false,\"snap\":" + state + ",\"held\":true}");
    assertThat(Replies.Commit.conflict(state, false).toString())
        .isEqualTo("{\"ok\":false,\"snap\":" + state + "}");
  }

  @Test
  void replies_decode_whatTheyEncode() {
    ObjectNode entries = F.objectNode().put("a", 1);
    ObjectNode state = new Replies.StateReply(7, entries).encode();
    assertThat(Replies.StateReply.decode(state)).isEqualTo(new Replies.StateReply(7, entries));
    assertThat(Replies.Popped.decode(new Replies.Popped("k", F.textNode("v")).encode()))
        .isEqualTo(new Replies.Popped("k", F.textNode("v")));
    assertThat(Replies.Pending.decode(new Replies.Pending(3, 9).encode()))
        .isEqualTo(new Replies.Pending(3, 9));
    assertThat(Replies.Pending.decode(new Replies.Answer(null, state).encode())).isNull();
    assertThat(Replies.Answer.decode(new Replies.Answer(null, state).encode()))
        .isEqualTo(new Replies.Answer(null, state));
    assertThat(Replies.Commit.decode(Replies.Commit.committed(8)))
        .isEqualTo(new Replies.Commit(true, false, null));
    assertThat(Replies.Commit.decode(Replies.Commit.conflict(state, true)))
        .isEqualTo(new Replies.Commit(false, true, new Replies.StateReply(7, entries)));
    assertThat(Replies.Commit.isConflict(Replies.Commit.conflict(state, false))).isTrue();
    assertThat(Replies.Commit.isConflict(Replies.Commit.committed(8))).isFalse();
    ObjectNode granted = Replies.Granted.encode(state.deepCopy(), 4);
    assertThat(granted.toString()).isEqualTo("{\"ver\":7,\"m\":{\"a\":1},\"tok\":4}");
    assertThat(Replies.Granted.decode(granted))
        .isEqualTo(new Replies.Granted(new Replies.StateReply(7, entries), 4));
  }
}
