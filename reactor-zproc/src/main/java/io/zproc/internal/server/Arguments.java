package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.rsocket.WireException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Reads and checks the arguments of a session's requests: a missing or mistyped one is an {@code
 * INVALID_ARGUMENT} naming the operation and the argument; a key or namespace name past the
 * server's limit is {@code LIMIT_EXCEEDED} naming the option that raises it.
 */
final class Arguments {
  private final int maxKeyLength;

  Arguments(int maxKeyLength) {
    this.maxKeyLength = maxKeyLength;
  }

  /** The namespace's name, checked. */
  String name(Op op, ObjectNode args) {
    JsonNode ns = args.get(Fields.NS);
    if (ns == null || !ns.isTextual()) {
      throw invalid(op, Fields.NS + "' (the namespace) must be a text");
    }
    String name = ns.textValue();
    if (name.isEmpty()) {
      throw invalid(op, Fields.NS + "' (the namespace) must not be empty");
    }
    checkLength("namespace name", name);
    return name;
  }

  String key(Op op, ObjectNode args) {
    JsonNode key = args.get(Fields.KEY);
    if (key == null || !key.isTextual()) {
      throw invalid(op, Fields.KEY + "' (the key) must be a text");
    }
    String k = key.textValue();
    checkLength("key", k);
    return k;
  }

  void checkLength(String what, String text) {
    if (text.length() * 3 <= maxKeyLength) {
      return;
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxKeyLength) {
      throw new WireException(
          WireException.LIMIT_EXCEEDED,
          what
              + " '"
              + text.substring(0, Math.min(40, text.length()))
              + "...' is "
              + bytes
              + " UTF-8 bytes, over the server's limit of "
              + maxKeyLength
              + "; use a shorter one or raise ServerOptions.maxKeyLength");
    }
  }

  /** The entries of {@code putAll}/{@code set}; every key within the key length limit. */
  ObjectNode map(Op op, ObjectNode args) {
    JsonNode m = args.get(Fields.MAP);
    if (!(m instanceof ObjectNode)) {
      throw invalid(op, Fields.MAP + "' (the entries) must be a map");
    }
    Iterator<String> names = m.fieldNames();
    while (names.hasNext()) {
      checkLength("key", names.next());
    }
    return (ObjectNode) m;
  }

  static String[] texts(Op op, ObjectNode args, String name) {
    JsonNode list = args.get(name);
    if (list == null || list.isNull()) {
      return new String[0];
    }
    if (!list.isArray()) {
      throw invalid(op, name + "' must be a list of texts");
    }
    String[] out = new String[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!list.get(i).isTextual()) {
        throw invalid(op, name + "' must be a list of texts");
      }
      out[i] = list.get(i).textValue();
    }
    return out;
  }

  static JsonNode value(Op op, ObjectNode args) {
    return field(op, args, Fields.VALUE);
  }

  static JsonNode field(Op op, ObjectNode args, String name) {
    JsonNode v = args.get(name);
    if (v == null) {
      throw invalid(op, name + "' is missing");
    }
    return v;
  }

  static String origin(ObjectNode args) {
    JsonNode o = args.get(Fields.ORIGIN);
    return o != null && o.isTextual() ? o.textValue() : "";
  }

  static boolean flag(ObjectNode args, String name) {
    JsonNode f = args.get(name);
    return f != null && f.asBoolean(false);
  }

  /** The version argument to resume after, or -1 for "from now". */
  static long after(Op op, ObjectNode args) {
    JsonNode after = args.get(Fields.AFTER);
    if (after == null || after.isNull()) {
      return -1;
    }
    if (!after.canConvertToLong() || after.longValue() < 0) {
      throw invalid(op, Fields.AFTER + "' (the version to resume after) must be >= 0");
    }
    return after.longValue();
  }

  /** The keys a watch asks for ({@link Fields#KEYS}), or null for any. */
  static String @Nullable [] keys(Op op, ObjectNode args) {
    String[] keys = null;
    JsonNode k = args.get(Fields.KEYS);
    if (k != null && k.isArray() && k.size() > 0) {
      keys = new String[k.size()];
      for (int i = 0; i < keys.length; i++) {
        if (!k.get(i).isTextual()) {
          throw invalid(op, Fields.KEYS + "' must be a list of texts");
        }
        keys[i] = k.get(i).textValue();
      }
    }
    return keys;
  }

  /** The origin whose changes a watch skips, or null. */
  static @Nullable String exclude(ObjectNode args) {
    JsonNode ex = args.get(Fields.EXCLUDE);
    return ex != null && ex.isTextual() ? ex.textValue() : null;
  }

  /** The atomic lock's token a request names, or 0 for none. */
  static long token(Op op, ObjectNode args) {
    JsonNode token = args.get(Fields.TOKEN);
    if (token == null || token.isNull()) {
      return 0;
    }
    if (!token.canConvertToLong()) {
      throw invalid(op, Fields.TOKEN + "' (the atomic lock's token) must be an integer");
    }
    return token.longValue();
  }

  static WireException invalid(Op op, String what) {
    return new WireException(
        WireException.INVALID_ARGUMENT, "operation '" + op.wireName() + "': argument '" + what);
  }
}
