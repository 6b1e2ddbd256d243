package io.zproc.internal.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.zproc.ErrorCode;
import io.zproc.WorkerOptions;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcWorker;
import io.zproc.internal.client.ClientContext;
import io.zproc.internal.client.WorkerLink;
import io.zproc.internal.map.AllowList;
import io.zproc.internal.map.RemoteSlots;
import io.zproc.internal.protocol.Fields;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The {@link ZProcWorker}: a context connected to the server (its own connection, with the key),
 * the {@code worker} stream that joins it, and the {@link RemoteSlots} that run what the stream
 * brings. A lost connection is made again and the worker joins anew (the server has re-run what it
 * had meanwhile); any other error of the stream ends the worker.
 */
public final class WorkerNode implements ZProcWorker {
  private static final Logger log = LoggerFactory.getLogger(WorkerNode.class);

  private final ClientContext context;
  private final WorkerLink link;
  private final RemoteSlots slots;
  private final Sinks.Empty<Void> joined = Sinks.empty();
  private final Sinks.Empty<Void> closed = Sinks.empty();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile @Nullable Disposable stream;

  private WorkerNode(ClientContext context, WorkerOptions options, AllowList allow) {
    this.context = context;
    this.link = new WorkerLink(context);
    this.slots =
        new RemoteSlots(
            options.slots(),
            allow,
            context::state,
            (job, outcome) ->
                link.done(job, outcome)
                    .subscribe(
                        null,
                        e ->
                            log.debug(
                                "could not post the outcome of job {}: {}", job, e.toString())),
            this::close);
  }

  /**
   * Connects, joins and returns once the server has registered the worker.
   *
   * @throws ZProcException if the server cannot be reached, refuses the key, or does not register
   *     the worker in time
   */
  public static WorkerNode start(String address, WorkerOptions options) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(options, "options");
    AllowList allow = AllowList.worker(options.allowed());
    ZProcOptions connect =
        ZProcOptions.defaults()
            .secretKey(options.secretKey())
            .connectTimeout(options.connectTimeout())
            .spareProcesses(0);
    if (options.tls()) {
      connect = connect.tls(options.tlsTrust());
    }
    ClientContext context = ClientContext.connect(address, connect);
    WorkerNode node = new WorkerNode(context, options, allow);
    node.join(options.slots());
    try {
      node.joined.asMono().block(options.connectTimeout().plusSeconds(5));
    } catch (RuntimeException e) {
      node.close();
      throw e instanceof ZProcException
          ? (ZProcException) e
          : new ZProcException(
              ErrorCode.CONNECTION_CLOSED, "the worker could not join " + address + ": " + e, e);
    }
    log.info("zproc worker joined {} with {} slots", node.address(), options.slots());
    return node;
  }

  private void join(int count) {
    stream =
        link.join(count)
            // a stream the server ends without an error is a lost connection too: join again
            .concatWith(
                Flux.error(
                    () ->
                        new ZProcException(
                            ErrorCode.CONNECTION_CLOSED, "the server ended the worker's stream")))
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                    .maxBackoff(Duration.ofSeconds(2))
                    .filter(WorkerNode::connectionLost)
                    .doBeforeRetry(
                        s ->
                            log.info(
                                "lost the server ({}); joining again", s.failure().toString())))
            .subscribe(this::element, this::failed, () -> failed(null));
  }

  private static boolean connectionLost(Throwable e) {
    return e instanceof ZProcException
        && ((ZProcException) e).code() == ErrorCode.CONNECTION_CLOSED;
  }

  private void element(JsonNode e) {
    if (e.has(Fields.JOINED)) {
      slots.reset();
      joined.tryEmitEmpty();
    } else if (e.has(Fields.DROPPED)) {
      slots.drop(e.get(Fields.DROPPED).asLong());
    } else {
      JsonNode ns = e.get(Fields.NS);
      slots.batch(
          e.path(Fields.JOB).asLong(),
          e.path(Fields.RUN).asLong(),
          bytes(e.get(Fields.CODE)),
          ns == null ? null : ns.asText(),
          e.path(Fields.BATCH).asLong(),
          e.path(Fields.FIRST).asLong(),
          Objects.requireNonNullElse(bytes(e.get(Fields.ITEMS)), new byte[0]));
    }
  }

  private static byte @Nullable [] bytes(@Nullable JsonNode n) {
    return n instanceof BinaryNode ? ((BinaryNode) n).binaryValue() : null;
  }

  private void failed(@Nullable Throwable error) {
    if (!closing.get()) {
      if (error != null) {
        log.warn("the worker leaves {}: {}", address(), error.toString());
        joined.tryEmitError(error);
      }
      shutdown(error);
    }
  }

  @Override
  public String address() {
    return context.address();
  }

  @Override
  public void close() {
    shutdown(null);
  }

  private void shutdown(@Nullable Throwable error) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    Disposable s = stream;
    if (s != null) {
      s.dispose();
    }
    slots.close();
    joined.tryEmitEmpty();
    Mono.fromRunnable(context::close)
        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
        .doFinally(
            signal -> {
              if (error != null) {
                closed.tryEmitError(error);
              } else {
                closed.tryEmitEmpty();
              }
            })
        .subscribe(null, e -> log.debug("closing the worker's connection: {}", e.toString()));
  }

  @Override
  public Mono<Void> onClose() {
    return closed.asMono();
  }

  @Override
  public String toString() {
    return "ZProcWorker[" + address() + "]";
  }
}
