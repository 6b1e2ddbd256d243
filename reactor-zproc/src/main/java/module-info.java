/**
 * reactor-zproc: multi-process programming around one shared, watched state.
 *
 * <p>Exports the API, {@code io.zproc}, and the optional Micrometer meters, {@code
 * io.zproc.metrics}; everything under {@code io.zproc.internal} stays inside. A user's module
 * {@code requires io.zproc} and reads Reactor with it.
 *
 * <p>Reflection: Jackson binds one class of this module, {@code ChildMain.Probe} (a record a child
 * stores while it lists its classes for a class-data archive), so {@code io.zproc.internal.child}
 * is open to Jackson's data binding and nothing else. Tasks, results and errors cross to child JVMs
 * by Java serialization, which needs no {@code opens}. A user's own values (records, POJOs) are
 * bound by Jackson too: their package must be open to {@code com.fasterxml.jackson.databind} (see
 * docs/index.md).
 *
 * <p>{@code reactor.core}, {@code org.reactivestreams}, {@code micrometer.core} and {@code
 * lettuce.core} are automatic modules (their jars carry an {@code Automatic-Module-Name} but no
 * descriptor); the {@code requires-automatic} warnings about them say only that.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.zproc {
  // in the API's signatures: Mono, Flux, Publisher, @Nullable
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires transitive org.jspecify;
  // Optional, for io.zproc.metrics only: a user of the meters has Micrometer on the module path and
  // requires it (ZProcMetrics' signatures name MeterBinder and Tag). Not transitive: javac would
  // then want it on every user's module path.
  requires static micrometer.core;
  // Optional, for the redis store only (io.zproc.internal.store.redis, loaded only when a server is
  // started with a redis:// store): a user who wants it adds Lettuce.
  requires static lettuce.core;
  requires io.zproc.rsocket;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.dataformat.cbor; // the redis store's values and records
  requires org.slf4j;
  requires java.management; // SpareWarmUp, SparePool: heap use and the host's load
  requires jdk.management; // SpareWarmUp, SparePool: com.sun.management.OperatingSystemMXBean (CPU

  // load)

  exports io.zproc;
  exports io.zproc.metrics;

  opens io.zproc.internal.child to
      com.fasterxml.jackson.databind;
}
