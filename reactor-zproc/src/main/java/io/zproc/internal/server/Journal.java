package io.zproc.internal.server;

import org.jspecify.annotations.Nullable;

/**
 * The last changes of one namespace, bounded by count and by estimated bytes; the newest change is
 * always kept. A ring indexed by version (versions are contiguous). Not thread-safe: guarded by its
 * namespace's lock.
 */
final class Journal {
  private final int maxCount;
  private final long maxBytes;
  private ChangeRecord[] ring = new ChangeRecord[16];
  private int head;
  private int size;
  private long bytes;

  Journal(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  void add(ChangeRecord record) {
    if (size == ring.length) {
      if (size < maxCount) {
        grow();
      } else {
        evictOldest();
      }
    }
    ring[(head + size) % ring.length] = record;
    size++;
    bytes += record.bytes;
    while (size > 1 && (size > maxCount || bytes > maxBytes)) {
      evictOldest();
    }
  }

  private void grow() {
    ChangeRecord[] bigger = new ChangeRecord[Math.min(maxCount, ring.length * 2)];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[(head + i) % ring.length];
    }
    ring = bigger;
    head = 0;
  }

  private void evictOldest() {
    ChangeRecord oldest = ring[head];
    ring[head] = null;
    head = (head + 1) % ring.length;
    size--;
    bytes -= oldest.bytes;
  }

  /** The oldest version still kept, or 0 if empty. */
  long oldestVersion() {
    return size == 0 ? 0 : ring[head].version;
  }

  /** The record of this version, or null if not kept. */
  @Nullable ChangeRecord get(long version) {
    if (size == 0) {
      return null;
    }
    long index = version - ring[head].version;
    if (index < 0 || index >= size) {
      return null;
    }
    return ring[(int) ((head + index) % ring.length)];
  }

  int size() {
    return size;
  }

  long bytes() {
    return bytes;
  }
}
