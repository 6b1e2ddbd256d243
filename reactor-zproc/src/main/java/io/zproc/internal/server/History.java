package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.ErrorCodes;
import io.zproc.internal.protocol.Replies;
import io.zproc.rsocket.WireException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one namespace's journal says of its past: the change after a cursor, the value of a key or
 * the whole namespace as they were right after an older version, and the error that names what was
 * lost when the journal no longer reaches back. Each method takes the namespace's current version
 * (and, where needed, its entries). Not thread-safe: called under the namespace's monitor.
 */
final class History {
  private final String namespace;
  private final Journal journal;
  private final String limits;

  History(String namespace, int journalSize, long journalBytes) {
    this.namespace = namespace;
    this.journal = new Journal(journalSize, journalBytes);
    this.limits = journalSize + " changes or " + (journalBytes >> 10) + " KiB";
  }

  Journal journal() {
    return journal;
  }

  /**
   * The change right after a cursor, or null when the cursor is at {@code version}.
   *
   * @throws WireException {@code CHANGES_LOST} if that change is no longer in the journal
   */
  @Nullable ChangeRecord recordAfter(long cursor, long version) {
    if (cursor >= version) {
      return null;
    }
    ChangeRecord next = journal.get(cursor + 1);
    if (next == null) {
      throw lost(cursor, version);
    }
    return next;
  }

  /**
   * The record of a version from the one after a cursor found in the journal up to the current one:
   * the journal keeps the newest change and contiguous versions, so it has them all.
   */
  private ChangeRecord kept(long v) {
    return Objects.requireNonNull(
        journal.get(v), "the journal keeps every version after one it has");
  }

  /** The journal's records after a version, oldest first (a copy). */
  List<ChangeRecord> changesAfter(long afterVersion, long version) {
    List<ChangeRecord> out = new ArrayList<>();
    for (long v = Math.max(afterVersion + 1, journal.oldestVersion()); v <= version; v++) {
      ChangeRecord r = journal.get(v);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The value of a key right after {@code at} (null: absent), from its current value.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  @Nullable JsonNode valueAt(String key, long at, @Nullable JsonNode current, long version) {
    if (at >= version) {
      return current;
    }
    if (journal.get(at + 1) == null) {
      throw lost(at, version);
    }
    JsonNode value = current;
    for (long v = version; v > at; v--) {
      ChangeRecord r = kept(v);
      for (int i = r.keys.length - 1; i >= 0; i--) {
        if (r.keys[i].equals(key)) {
          value = r.before[i];
        }
      }
    }
    return value;
  }

  /**
   * The namespace as it was right after {@code at} (older than {@code version}), rebuilt from its
   * entries by undoing newer changes: {"ver", "m"}. Keys removed after that version are put back at
   * the end of the order.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  ObjectNode snapshotAt(long at, OrderedData data, long version) {
    if (journal.get(at + 1) == null) {
      throw lost(at, version);
    }
    LinkedHashMap<String, JsonNode> copy = new LinkedHashMap<>();
    data.forEach(copy::put);
    for (long v = version; v > at; v--) {
      ChangeRecord r = kept(v);
      for (int i = r.keys.length - 1; i >= 0; i--) {
        if (r.before[i] == null) {
          copy.remove(r.keys[i]);
        } else {
          copy.put(r.keys[i], r.before[i]);
        }
      }
    }
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    copy.forEach(map::set);
    return new Replies.StateReply(at, map).encode();
  }

  /** Whether a commit based on {@code base} that read these keys (null: all) meets a change. */
  boolean conflicts(long base, String @Nullable [] readKeys, long version) {
    if (base == version) {
      return false;
    }
    if (readKeys == null) {
      return true;
    }
    for (long v = base + 1; v <= version; v++) {
      ChangeRecord r = journal.get(v);
      if (r == null || r.touchesAny(readKeys)) {
        return true;
      }
    }
    return false;
  }

  /** The error that ends what waits on a dropped namespace. */
  WireException dropped() {
    return new WireException(
        ErrorCodes.CHANGES_LOST,
        "namespace '"
            + namespace
            + "' was dropped (State.drop()): its state and changes are gone; a new use of the"
            + " name starts an empty namespace, read it and subscribe anew");
  }

  /** The error for a cursor older than the journal, naming how much was lost and what to do. */
  WireException lost(long cursor, long version) {
    long oldest = journal.size() == 0 ? version + 1 : journal.oldestVersion();
    long lost = oldest - cursor - 1;
    return new WireException(
        ErrorCodes.CHANGES_LOST,
        lost
            + " change(s) of namespace '"
            + namespace
            + "' after version "
            + cursor
            + " are no longer in the server's journal (it keeps the last "
            + limits
            + "); consume changes faster, or raise ServerOptions.journalSize or"
            + " ServerOptions.journalBytes");
  }
}
