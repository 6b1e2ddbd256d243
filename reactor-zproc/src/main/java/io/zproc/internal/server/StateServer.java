package io.zproc.internal.server;

import io.zproc.ErrorCode;
import io.zproc.ServerOptions;
import io.zproc.ZProcException;
import io.zproc.ZProcServer;
import io.zproc.internal.protocol.ErrorCodes;
import io.zproc.internal.store.ReplicatedStore;
import io.zproc.internal.store.Stores;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireServer;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.connect.Wire;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The {@link ZProcServer}: a {@link StateEngine} served by a {@link WireServer}. */
public final class StateServer implements ZProcServer, ServerIntrospection {
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final WireServer wire;
  private final StateEngine engine;
  private final ServerStats stats;

  private StateServer(WireServer wire, StateEngine engine) {
    this.wire = wire;
    this.engine = engine;
    this.stats = new ServerStats(engine, wire);
  }

  /** Read-only figures of this server, for monitoring. */
  @Override
  public ServerStats stats() {
    return stats;
  }

  /** The number of open watches (change streams and watchers) on a namespace (a seam for tests). */
  int watchCount(String namespace) {
    return engine.namespace(namespace).watchCount();
  }

  /** Starts a server; blocks until bound. */
  public static StateServer start(String address, ServerOptions options) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(options, "options");
    ReplicatedStore store = Stores.open(options);
    StateEngine engine = new StateEngine(options, Clock.systemUTC());
    if (store != null) {
      engine.replicate(store);
    }
    WireServerOptions wireOptions =
        WireServerOptions.defaults()
            .withSecretKey(options.secretKey())
            .withMaxFrameSize(options.maxFrameSize())
            .withLocalSocket(options.localSocket())
            .withAllowedOrigins(options.allowedOrigins())
            .withLimits(
                new WireServerOptions.Limits(
                    options.maxPendingBytesPerConnection(), options.maxConnections()));
    if (options.tlsKeyStore() != null) {
      wireOptions =
          wireOptions.withTls(options.tlsKeyStore(), Objects.requireNonNull(options.tlsPassword()));
    }
    MapBroker broker = new MapBroker();
    WireServer wire;
    try {
      wire =
          Wire.bind(
                  address, wireOptions, connection -> new StateSession(engine, broker, connection))
              .block(BIND_TIMEOUT);
    } catch (WireException e) {
      engine.close();
      throw new ZProcException(
          ErrorCodes.of(e), "cannot start a server on " + address + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      engine.close();
      throw e;
    } catch (RuntimeException e) {
      engine.close();
      throw new ZProcException(
          ErrorCode.CONNECTION_CLOSED,
          "cannot start a server on " + address + ": " + e.getMessage(),
          e);
    }
    return new StateServer(Objects.requireNonNull(wire), engine);
  }

  @Override
  public String address() {
    return wire.address().toString();
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  /**
   * Stops the server; on a thread that may block, waits (up to 10 s) until every connection is
   * closed and the address is free.
   */
  @Override
  public void close() {
    wire.dispose();
    engine.close();
    if (!Schedulers.isInNonBlockingThread()) {
      try {
        wire.onClose().block(CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        // closing went on in the background; nothing more to do here
      }
    }
  }

  @Override
  public Mono<Void> onClose() {
    return wire.onClose();
  }

  @Override
  public String toString() {
    return "ZProcServer[" + address() + "]";
  }
}
