package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.zproc.internal.protocol.Fields;
import io.zproc.rsocket.WireException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The bytes a replicated store keeps: a value (its tree as CBOR, which keeps NaN and big numbers as
 * they are) and a change record ({@code {"r": reset, "e": the change's wire event}}).
 */
final class ReplicaCodec {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final String RESET = "r";
  private static final String EVENT = "e";

  private ReplicaCodec() {}

  /** A change as decoded: the record, and whether the namespace was emptied first. */
  record Decoded(ChangeRecord record, boolean reset) {}

  static byte[] value(JsonNode value) {
    try {
      return CBOR.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new WireException(WireException.INTERNAL, "cannot encode a value: " + e.getMessage());
    }
  }

  static JsonNode value(byte[] bytes) {
    try {
      return CBOR.readTree(bytes);
    } catch (IOException e) {
      throw corrupt("a value", e);
    }
  }

  static byte[] record(ChangeRecord record, boolean reset) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put(RESET, reset);
    r.set(EVENT, record.event());
    return value(r);
  }

  /** A record of the namespace's run {@code epoch}. */
  static Decoded record(byte[] bytes, long epoch) {
    try {
      JsonNode r = CBOR.readTree(bytes);
      JsonNode e = r.get(EVENT);
      ArrayNode keys = (ArrayNode) e.get(Fields.KEYS);
      JsonNode before = e.get(Fields.BEFORE);
      JsonNode after = e.get(Fields.AFTER_VALUES);
      int n = keys.size();
      String[] k = new String[n];
      @Nullable JsonNode[] b = new JsonNode[n];
      @Nullable JsonNode[] a = new JsonNode[n];
      for (int i = 0; i < n; i++) {
        k[i] = keys.get(i).textValue();
        b[i] = before.get(k[i]);
        a[i] = after.get(k[i]);
      }
      ChangeRecord record =
          new ChangeRecord(
              e.get(Fields.NS).textValue(),
              e.get(Fields.VERSION).longValue(),
              e.get(Fields.TIMESTAMP).longValue(),
              e.get(Fields.ORIGIN).textValue(),
              k,
              b,
              a,
              epoch);
      return new Decoded(record, r.get(RESET).booleanValue());
    } catch (IOException | RuntimeException e) {
      throw corrupt("a change record", e);
    }
  }

  private static WireException corrupt(String what, Exception e) {
    return new WireException(
        WireException.INTERNAL,
        "the store holds "
            + what
            + " this server cannot read ("
            + e.getMessage()
            + "): was it written by another program, or a newer version?");
  }
}
