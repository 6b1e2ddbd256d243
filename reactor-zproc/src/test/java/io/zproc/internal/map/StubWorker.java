package io.zproc.internal.map;

import io.zproc.Backend;
import java.util.List;
import java.util.Map;

/** A map worker for unit tests: no thread, no process; records what happens to it. */
final class StubWorker extends MapWorker {
  static final MapPool.Flavor KIND = new MapPool.Flavor(Backend.THREAD, List.of(), Map.of(), false);

  final String name;
  volatile boolean begun;
  volatile boolean retired;

  StubWorker(MapPool pool, String name, boolean ready) {
    this(pool, KIND, name, ready);
  }

  StubWorker(MapPool pool, MapPool.Flavor flavor, String name, boolean ready) {
    super(pool, flavor, "stub-" + name);
    this.name = name;
    this.ready = ready;
  }

  @Override
  void begin() {
    begun = true;
  }

  @Override
  void send(Object message) {}

  @Override
  void deliver(Object frame) {}

  @Override
  void deliverBatch(MapBatch batch, MapBuffer frame) {}

  @Override
  long pid() {
    return 0;
  }

  @Override
  void retire() {
    retired = true;
  }

  @Override
  boolean awaitExit(long millis) {
    return true;
  }

  @Override
  void kill() {
    retired = true;
  }

  @Override
  public String toString() {
    return name;
  }
}
