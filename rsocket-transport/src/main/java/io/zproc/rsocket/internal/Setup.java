package io.zproc.rsocket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The setup payload: {@code {"key": secret, "name": client, "port": expected tcp port, "join":
 * connection id}}.
 *
 * @param key the secret key presented, or null
 * @param name the client's name
 * @param port the tcp port the client expects the server to have (unix shortcut), or -1
 * @param join for a lane, the id of the RSocket connection whose session it shares, or -1
 */
public record Setup(@Nullable String key, String name, int port, long join) {

  /** A setup that joins no connection. */
  public Setup(@Nullable String key, String name, int port) {
    this(key, name, port, -1);
  }

  /** This setup, joining the connection {@code id}. */
  public Setup joining(long id) {
    return new Setup(key, name, port, id);
  }

  /** Encodes this setup. */
  public byte[] encode() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (key != null) {
      node.put("key", key);
    }
    node.put("name", name);
    if (port >= 0) {
      node.put("port", port);
    }
    if (join >= 0) {
      node.put("join", join);
    }
    return CborCodec.encode(node);
  }

  /** The largest setup payload decoded: a key, a client name and two numbers fit many times. */
  public static final int MAX_BYTES = 16 * 1024;

  /**
   * Decodes a setup payload; an empty one is a setup without key. Refuses a payload over {@link
   * #MAX_BYTES} without decoding it: the server decodes the setup before it checks the key.
   *
   * @throws CodecException if malformed
   */
  public static Setup decode(ByteBuf data) {
    if (data.readableBytes() == 0) {
      return new Setup(null, "", -1);
    }
    if (data.readableBytes() > MAX_BYTES) {
      // Nothing is decoded before the key is checked but this small map: a large setup could
      // only be an attempt to fill the heap (16 MiB of empty CBOR maps make ~1.3 GB of nodes).
      throw new CodecException(
          "a setup of "
              + data.readableBytes()
              + " bytes is over the limit of "
              + MAX_BYTES
              + " bytes (a setup holds a key, a name and two numbers)");
    }
    JsonNode node = CborCodec.decode(data);
    if (!node.isObject()) {
      throw new CodecException("setup must be a CBOR map");
    }
    JsonNode key = node.get("key");
    JsonNode name = node.get("name");
    JsonNode port = node.get("port");
    JsonNode join = node.get("join");
    return new Setup(
        key != null && key.isTextual() ? key.textValue() : null,
        name != null && name.isTextual() ? name.textValue() : "",
        port != null && port.canConvertToInt() ? port.intValue() : -1,
        join != null && join.canConvertToLong() ? join.longValue() : -1);
  }

  /**
   * Checks the presented key against the server's, in constant time.
   *
   * @throws WireException {@link WireException#UNAUTHORIZED} when it does not match
   */
  public void checkKey(@Nullable String expected) {
    if (expected == null) {
      return;
    }
    if (key == null) {
      throw new WireException(
          WireException.UNAUTHORIZED,
          "no secret key was given, and this server requires one; give the client the"
              + " server's secret key");
    }
    byte[] a = expected.getBytes(StandardCharsets.UTF_8);
    byte[] b = key.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(a, b)) {
      throw new WireException(
          WireException.UNAUTHORIZED,
          "wrong secret key; give the client the same secret key as the server");
    }
  }
}
