package io.zproc.examples.webflux;

import io.zproc.ErrorCode;
import io.zproc.State;
import io.zproc.ZProcException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The state endpoints: the namespace as a JSON resource, its changes as Server-Sent Events, and a
 * request that waits for a value.
 *
 * <p>Every handler returns the library's {@code Mono} or {@code Flux} (mapped), so nothing blocks a
 * request thread: the state server answers on a transport thread, or, when it is embedded in this
 * JVM, on the request thread itself without blocking it. Errors are turned into RFC 9457 problem
 * responses by {@link ApiErrors}.
 */
@RestController
public class StateController {
  /** The header a reconnecting {@code EventSource} sends: the id of the last event it got. */
  public static final String LAST_EVENT_ID = "Last-Event-ID";

  private final State state;
  private final State watcher;
  private final JsonValues json;
  private final WebSettings web;

  /**
   * @param state the client the endpoints read and write with
   * @param watcher a second client of the namespace, for waiting (see {@link StateClients})
   * @param json converts between HTTP bodies and stored values
   * @param web the settings of the endpoints ({@code zproc.web.*})
   */
  public StateController(
      State state,
      @Qualifier(StateClients.WATCHER) State watcher,
      JsonValues json,
      WebSettings web) {
    this.state = state;
    this.watcher = watcher;
    this.json = json;
    this.web = web;
  }

  /**
   * {@code GET /state}: the whole namespace, with its version, read in one atomic operation.
   *
   * @return emits the snapshot
   */
  @GetMapping(path = "/state", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<StateView> snapshot() {
    return state.snapshot().map(snapshot -> StateView.of(state.namespace(), snapshot));
  }

  /**
   * {@code GET /state/{key}}: one value, as JSON.
   *
   * <p>The library's {@code get} is empty both for an absent key and for one holding null; a second
   * call ({@code containsKey}) tells them apart, so a key holding null answers {@code null} and an
   * absent key 404.
   *
   * @return emits the value; errors with 404 if the key is absent
   */
  @GetMapping(path = "/state/{key}", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<JsonNode> get(@PathVariable String key) {
    return state
        .get(key)
        .map(json::toJson)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    state
                        .containsKey(key)
                        .flatMap(
                            present ->
                                present
                                    ? Mono.just(json.toJson(null))
                                    : Mono.error(noSuchKey(key)))));
  }

  /**
   * {@code PUT /state/{key}} with a JSON body (any JSON value, {@code null} included): stores it.
   *
   * @return completes with 204; errors with 400 for a missing or malformed body, 413 for a key or
   *     value over the server's limits
   */
  @PutMapping(path = "/state/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<Void>> put(
      @PathVariable String key, @RequestBody Mono<JsonNode> body) {
    return body.flatMap(value -> state.put(key, json.toJava(value)))
        .thenReturn(ResponseEntity.noContent().build());
  }

  /**
   * {@code DELETE /state/{key}}: removes the key.
   *
   * @return emits 200 with the removed value, or 204 if there was none (the key was absent or held
   *     null); deleting twice is harmless
   */
  @DeleteMapping(path = "/state/{key}", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<JsonNode>> remove(@PathVariable String key) {
    return state
        .remove(key)
        .map(removed -> ResponseEntity.ok(json.toJson(removed)))
        .defaultIfEmpty(ResponseEntity.noContent().build());
  }

  /**
   * {@code POST /state/{key}/increment?by=N}: adds to an integer on the server, atomically (an
   * absent or null key counts as 0); concurrent increments never conflict.
   *
   * @param by the amount, 1 by default; may be negative
   * @return emits the new value; errors with 409 if the key holds something other than an integer
   *     (or the sum overflows a long)
   */
  @PostMapping(path = "/state/{key}/increment", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<Long> increment(@PathVariable String key, @RequestParam(defaultValue = "1") long by) {
    return state
        .increment(key, by)
        .onErrorMap(
            e -> e instanceof ZProcException z && z.code() == ErrorCode.INVALID_ARGUMENT,
            e -> new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage(), e));
  }

  /**
   * {@code GET /changes}: the namespace as a stream of Server-Sent Events, for a browser's {@code
   * EventSource} or {@code curl -N}.
   *
   * <p>A new connection (no {@code Last-Event-ID}) first gets one {@code snapshot} event (data: a
   * {@link StateView}, id: its version), then a {@code change} event (data: a {@link ChangeView},
   * id: its version) for every change after that snapshot, read with {@code
   * State.changes(version)}: the client starts from a consistent state and misses nothing in
   * between. A reconnecting client sends the id of the last event it got as {@code Last-Event-ID}
   * (an {@code EventSource} does so by itself); it gets the change events after that version,
   * replayed from the server's journal, then live: nothing lost, nothing twice. A comment line
   * every {@code zproc.web.heartbeat} keeps idle connections open through proxies.
   *
   * <p><b>Backpressure:</b> the server sends changes only as fast as this connection writes them.
   * <b>Cancellation:</b> closing the connection releases the server-side watch.
   *
   * @param lastEventId the last version the client got, or absent
   * @return the events; errors with 400 for a {@code Last-Event-ID} that is not a version, 410 if
   *     the changes after it are no longer in the server's journal (the client then reconnects
   *     without the header, getting a fresh snapshot)
   */
  @GetMapping(path = "/changes", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public Flux<ServerSentEvent<Object>> changes(
      @RequestHeader(name = LAST_EVENT_ID, required = false) @Nullable String lastEventId) {
    Flux<ServerSentEvent<Object>> events;
    if (lastEventId == null) {
      events =
          state
              .snapshot()
              .flatMapMany(
                  snapshot ->
                      Flux.concat(
                          Mono.just(
                              event(
                                  "snapshot",
                                  snapshot.version(),
                                  StateView.of(state.namespace(), snapshot))),
                          changeEvents(snapshot.version())));
    } else {
      events = changeEvents(version(lastEventId));
    }
    Flux<ServerSentEvent<Object>> heartbeats =
        Flux.interval(web.heartbeat())
            .map(tick -> ServerSentEvent.builder().comment("heartbeat").build());
    return Flux.merge(events, heartbeats);
  }

  private Flux<ServerSentEvent<Object>> changeEvents(long afterVersion) {
    return state
        .changes(afterVersion)
        .map(change -> event("change", change.version(), ChangeView.of(change)));
  }

  private static ServerSentEvent<Object> event(String name, long version, Object data) {
    return ServerSentEvent.builder(data).id(Long.toString(version)).event(name).build();
  }

  /**
   * {@code GET /when/{key}?equals=V&timeout=D}: waits until the key holds {@code V}, then answers
   * with the namespace as it was at that moment. Answers at once if it already does.
   *
   * <p>{@code V} is read as JSON when it parses as JSON ({@code 5}, {@code true}, {@code "5"},
   * {@code {"a":1}}), otherwise as text ({@code hot}); {@code null} waits for the key to hold null.
   * Equality is JSON value equality, as in {@code State.whenEqual}. {@code D} is a duration such as
   * {@code 500ms}, {@code 10s} or {@code PT1M}; by default {@code zproc.web.when-timeout}, at most
   * {@code zproc.web.max-when-timeout}.
   *
   * <p>The wait costs no thread: it is a watch on the server, released when it ends or when the
   * client goes away.
   *
   * @return emits the snapshot; errors with 504 when the timeout passes first, 400 for a bad {@code
   *     timeout}
   */
  @GetMapping(path = "/when/{key}", produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<StateView> when(
      @PathVariable String key,
      @RequestParam("equals") String equals,
      @RequestParam(name = "timeout", required = false) @Nullable String timeout) {
    Duration wait = timeout(timeout);
    Object expected = json.parseLenient(equals);
    Mono<io.zproc.Snapshot> hit =
        expected == null ? watcher.whenNone(key) : watcher.whenEqual(key, expected);
    return hit.timeout(
            wait,
            Mono.error(
                () ->
                    new ResponseStatusException(
                        HttpStatus.GATEWAY_TIMEOUT,
                        "key '"
                            + key
                            + "' did not come to equal "
                            + equals
                            + " within "
                            + wait
                            + "; retry, or pass a longer ?timeout= (at most "
                            + web.maxWhenTimeout()
                            + ")")))
        .map(snapshot -> StateView.of(watcher.namespace(), snapshot));
  }

  private ResponseStatusException noSuchKey(String key) {
    return new ResponseStatusException(
        HttpStatus.NOT_FOUND,
        "no key '"
            + key
            + "' in namespace '"
            + state.namespace()
            + "'; PUT /state/"
            + key
            + " with a JSON body creates it");
  }

  private static long version(String lastEventId) {
    long version;
    try {
      version = Long.parseLong(lastEventId.trim());
    } catch (NumberFormatException e) {
      version = -1;
    }
    if (version < 0) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          LAST_EVENT_ID
              + " must be the id of an event of this stream (a change version, 0 or more), got '"
              + lastEventId
              + "'; omit the header to start with the next change");
    }
    return version;
  }

  private Duration timeout(@Nullable String text) {
    if (text == null) {
      return web.whenTimeout();
    }
    Duration wait;
    try {
      wait = DurationStyle.detectAndParse(text);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw badTimeout(text);
    }
    if (wait.isNegative() || wait.isZero() || wait.compareTo(web.maxWhenTimeout()) > 0) {
      throw badTimeout(text);
    }
    return wait;
  }

  private ResponseStatusException badTimeout(String text) {
    return new ResponseStatusException(
        HttpStatus.BAD_REQUEST,
        "timeout must be a duration above 0 and at most "
            + web.maxWhenTimeout()
            + " (such as 500ms, 10s or PT1M), got '"
            + text
            + "'");
  }
}
