package io.zproc.rsocket.codec;

import static io.zproc.rsocket.codec.Cbor.FACTORY;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.Map;

/** Writes a tree as one CBOR data item, with the streaming API. Stateless. */
final class TreeEncoder {

  private TreeEncoder() {}

  /**
   * The tree's CBOR.
   *
   * @throws CodecException if a string in it cannot be encoded (an unpaired UTF-16 surrogate)
   */
  static byte[] write(JsonNode node) {
    BufferRecycler recycler = FACTORY._getBufferRecycler();
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(recycler)) {
      try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
        writeTree(g, node);
      }
      byte[] result = bytes.toByteArray();
      bytes.release();
      return result;
    } catch (JsonProcessingException e) {
      // Happens for text CBOR cannot carry (an unpaired UTF-16 surrogate) and for trees nested
      // deeper than the generator allows.
      String why = String.valueOf(e.getOriginalMessage());
      throw new CodecException(
          "cannot encode tree: "
              + why
              + (why.contains("surrogate")
                  ? "; CBOR text must be valid Unicode, so replace or drop unpaired surrogates"
                  : ""),
          e);
    } catch (IOException e) {
      throw new CodecException("cannot encode tree: " + e, e); // not from an in-memory buffer
    } finally {
      recycler.releaseToPool();
    }
  }

  /**
   * Writes a tree as {@code JsonNode.serialize} does with the mapper's default settings: maps and
   * arrays with their length up front, every entry (nulls too) in the tree's order.
   */
  private static void writeTree(JsonGenerator g, JsonNode node) throws IOException {
    if (node instanceof ObjectNode) {
      g.writeStartObject(node, node.size());
      for (Map.Entry<String, JsonNode> field : ((ObjectNode) node).properties()) {
        g.writeFieldName(field.getKey());
        writeTree(g, field.getValue());
      }
      g.writeEndObject();
    } else if (node instanceof TextNode) {
      g.writeString(node.textValue());
    } else if (node instanceof ArrayNode) {
      int size = node.size();
      g.writeStartArray(node, size);
      for (int i = 0; i < size; i++) {
        writeTree(g, node.get(i));
      }
      g.writeEndArray();
    } else if (node instanceof NumericNode) {
      writeNumber(g, node);
    } else if (node instanceof BooleanNode) {
      g.writeBoolean(node.booleanValue());
    } else if (node instanceof NullNode || node.isMissingNode()) {
      g.writeNull();
    } else if (node instanceof BinaryNode) {
      byte[] data = node.binaryValue();
      if (data == null) {
        g.writeNull();
      } else {
        g.writeBinary(data, 0, data.length);
      }
    } else {
      Cbor.MapperHolder.MAPPER.writeTree(
          g, node); // a POJO node, a raw value, a node of another kind
    }
  }

  private static void writeNumber(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT:
        if (node.isShort()) {
          g.writeNumber(node.shortValue());
        } else {
          g.writeNumber(node.intValue());
        }
        return;
      case LONG:
        g.writeNumber(node.longValue());
        return;
      case BIG_INTEGER:
        g.writeNumber(node.bigIntegerValue());
        return;
      case FLOAT:
        g.writeNumber(node.floatValue());
        return;
      case DOUBLE:
        g.writeNumber(node.doubleValue());
        return;
      case BIG_DECIMAL:
        g.writeNumber(node.decimalValue());
        return;
      default:
        Cbor.MapperHolder.MAPPER.writeTree(g, node);
    }
  }
}
