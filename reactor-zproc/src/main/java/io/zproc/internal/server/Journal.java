package io.zproc.internal.server;

import java.util.ArrayDeque;

/**
 * The last changes of one namespace, bounded by count and by estimated bytes; the newest change is
 * always kept. Not thread-safe: guarded by its namespace's lock.
 */
final class Journal {
  private final int maxCount;
  private final long maxBytes;
  private final ArrayDeque<ChangeRecord> records = new ArrayDeque<>();
  private long bytes;

  Journal(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  void add(ChangeRecord record) {
    records.addLast(record);
    bytes += record.bytes;
    while (records.size() > 1 && (records.size() > maxCount || bytes > maxBytes)) {
      bytes -= records.removeFirst().bytes;
    }
  }

  /** The oldest version still kept, or 0 if empty. */
  long oldestVersion() {
    ChangeRecord first = records.peekFirst();
    return first == null ? 0 : first.version;
  }

  int size() {
    return records.size();
  }

  long bytes() {
    return bytes;
  }

  /** The kept records, oldest first. */
  Iterable<ChangeRecord> records() {
    return records;
  }
}
