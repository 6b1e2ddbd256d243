package io.zproc.internal.store;

import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A store several servers share: the point of serialization of every namespace's changes. A server
 * keeps each namespace it serves as a replica in memory; it commits a change only if the store's
 * version of the namespace is the one the change was computed on ({@link #commit}), and it follows
 * the changes other servers commit ({@link #bells}, {@link #read}).
 *
 * <p><b>Threading:</b> every method may be called from any thread and never blocks; the returned
 * publishers signal on the store's I/O threads, where callers must not block either.
 *
 * <p><b>Errors:</b> a store that cannot be reached (or answers too late) fails the publisher with a
 * {@code WireException} of code {@link StoreErrors#UNAVAILABLE}.
 */
public interface ReplicatedStore extends AutoCloseable {
  /**
   * Reads a namespace, making it (with {@code newEpoch}) if the store has none of that name: the
   * records after {@code after} when the store's log still holds the first of them (at most {@code
   * maxRecords}), else the whole state and the log's newest {@code maxRecords} records.
   *
   * @param after the version the caller's replica is at, or -1 for a full read
   */
  Mono<Stored> read(String namespace, long after, long newEpoch, int maxRecords);

  /**
   * Commits a change computed on version {@code base} of the namespace's run {@code epoch}:
   * applied, logged as version {@code base + 1} and announced to every server, only if the store is
   * at that version of that run. A null change only checks the version.
   */
  Mono<Outcome> commit(String namespace, long epoch, long base, @Nullable Change change);

  /**
   * Forgets a namespace (its state, version, log and epoch) and tells every server; emits whether
   * it existed.
   */
  Mono<Boolean> drop(String namespace);

  /**
   * The names of the namespaces the store holds (made by any server and not dropped), unsorted,
   * each once.
   */
  Mono<List<String>> names();

  /**
   * The changes every server commits, as they are announced: hot, no replay, best effort (a server
   * that misses one catches up at its next read).
   */
  Flux<Bell> bells();

  /** The store's URI without its password, for messages. */
  String describe();

  /** Closes the connections; what is in flight fails. Never blocks a non-blocking thread. */
  @Override
  void close();

  /**
   * A namespace as the store has it.
   *
   * @param epoch the namespace's run: random when it was made, kept until it is dropped
   * @param version its newest version
   * @param full whether {@code keys} and {@code values} hold the whole state (in insertion order)
   * @param records the log's records after the version asked for (or its tail, when full), oldest
   *     first
   */
  record Stored(
      long epoch,
      long version,
      boolean full,
      List<String> keys,
      List<byte[]> values,
      List<byte[]> records) {}

  /**
   * One change to commit.
   *
   * @param record the change as the log keeps it (opaque to the store)
   * @param reset whether the namespace is emptied before the keys are written
   * @param keys the keys written
   * @param values their new values, null where the key is removed
   */
  record Change(byte[] record, boolean reset, String[] keys, byte @Nullable [][] values) {}

  /**
   * A commit's outcome.
   *
   * @param committed whether the change was applied (or, for a check, the version matched)
   * @param epoch the store's run of the namespace (0 if it has none)
   * @param version the store's version of the namespace after the call
   */
  record Outcome(boolean committed, long epoch, long version) {}

  /**
   * A change announced by some server: the namespace's new version; or -1 when it was dropped, with
   * the epoch of the run that was dropped (0 for a commit's bell).
   */
  record Bell(String namespace, long version, long epoch) {}
}
