package io.zproc;

import java.io.Serializable;

/**
 * What the {@code callWhen*} processes call on every hit of their watcher; throw {@link
 * ProcessExit} to end the process.
 */
@FunctionalInterface
public interface WatchCallback extends Serializable {

  /**
   * Handles one hit.
   *
   * @param snapshot the state at the hit
   * @param state the child's client, to react with (its own changes do not wake its watcher)
   * @throws Exception to fail the process, or {@link ProcessExit} to end it
   */
  void accept(Snapshot snapshot, State state) throws Exception;
}
