package io.zproc.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The WebFlux app over HTTP, on a random port, with an embedded state server and {@code processMap}
 * workers as threads. One Spring context for the whole class; every test uses its own keys.
 * BlockHound is installed in this JVM, so any blocking call on a Netty or Reactor thread fails the
 * request that made it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "zproc.map.backend=THREAD",
      "zproc.map.workers=2",
      "zproc.map.max-items=100",
      "zproc.server.journal-size=20",
      "zproc.web.heartbeat=1h",
      "zproc.web.when-timeout=5s",
      "zproc.web.max-when-timeout=20s"
    })
@AutoConfigureWebTestClient
class ZProcWebApplicationTest {
  private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
      new ParameterizedTypeReference<>() {};
  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};
  private static final ParameterizedTypeReference<List<Long>> LONGS =
      new ParameterizedTypeReference<>() {};
  private static final Duration VERIFY = Duration.ofSeconds(10);

  @Autowired WebTestClient web;
  @LocalServerPort int port;
  @Autowired State state;

  private void put(String key, String json) {
    web.put()
        .uri("/state/{key}", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty(); // every test reads the body: an unread one is a leaked Netty buffer
  }

  private long version() {
    Map<String, Object> body =
        web.get()
            .uri("/state")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    assertThat(body).isNotNull();
    return ((Number) body.get("version")).longValue();
  }

  private Flux<ServerSentEvent<Map<String, Object>>> events(String lastEventId) {
    WebTestClient.RequestHeadersSpec<?> request =
        web.get().uri("/changes").accept(MediaType.TEXT_EVENT_STREAM);
    if (lastEventId != null) {
      request = request.header(StateController.LAST_EVENT_ID, lastEventId);
    }
    return request
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
        .returnResult(EVENT)
        .getResponseBody()
        .filter(event -> event.comment() == null); // heartbeats
  }

  private static Predicate<ServerSentEvent<Map<String, Object>>> change(
      long version, Map<String, ?> after) {
    return event ->
        "change".equals(event.event())
            && String.valueOf(version).equals(event.id())
            && event.data() != null
            && ((Number) event.data().get("version")).longValue() == version
            && after.equals(event.data().get("after"));
  }

  @Test
  void blockHound_isInstalled() {
    Mono<Void> blocking =
        Mono.<Void>fromRunnable(
                () -> {
                  try {
                    Thread.sleep(1);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .subscribeOn(Schedulers.parallel());
    assertThatThrownBy(blocking::block).hasCauseInstanceOf(BlockingOperationError.class);
  }

  @Test
  void putThenGet_roundTripsEveryKindOfJsonValue() {
    for (String json :
        List.of("5", "-12.5", "\"hot\"", "true", "[1,\"two\",null]", "{\"a\":{\"b\":[1,2]}}")) {
      put("value", json);
      web.get()
          .uri("/state/value")
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
          .expectBody(String.class)
          .isEqualTo(json); // written compactly, as Jackson writes it back
    }
  }

  @Test
  void put_null_isStoredAndReadBackAsNull() {
    put("nothing", "null");
    web.get()
        .uri("/state/nothing")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("null");
  }

  @Test
  void get_absentKey_is404NamingTheKey() {
    web.get()
        .uri("/state/never-written")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            detail ->
                assertThat((String) detail)
                    .contains("no key 'never-written' in namespace 'default'")
                    .contains("PUT /state/never-written"));
  }

  @Test
  void put_malformedJson_is400WithTheParsersMessage() {
    web.put()
        .uri("/state/bad")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"a\": oops}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("Unrecognized token 'oops'"));
    web.get()
        .uri("/state/bad")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404);
  }

  @Test
  void put_noBody_is400() {
    web.put()
        .uri("/state/empty")
        .contentType(MediaType.APPLICATION_JSON)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).containsIgnoringCase("request body"));
  }

  @Test
  void put_notJson_is415() {
    web.put()
        .uri("/state/text")
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("hello")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("text/plain"));
  }

  @Test
  void delete_returnsTheRemovedValue_thenNoContent() {
    put("doomed", "{\"x\":1}");
    web.delete()
        .uri("/state/doomed")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("{\"x\":1}");
    web.get()
        .uri("/state/doomed")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404);
    web.delete()
        .uri("/state/doomed")
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
  }

  @Test
  void increment_startsAtZero_andAddsBy() {
    web.post()
        .uri("/state/counter/increment")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Long.class)
        .isEqualTo(1L);
    web.post()
        .uri("/state/counter/increment?by=41")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(Long.class)
        .isEqualTo(42L);
    web.get().uri("/state/counter").exchange().expectBody(String.class).isEqualTo("42");
  }

  @Test
  void increment_nonInteger_is409NamingTheValuesType() {
    put("word", "\"ten\"");
    web.post()
        .uri("/state/word/increment")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            detail ->
                assertThat((String) detail)
                    .contains("cannot increment key 'word'")
                    .contains("not an integer"));
  }

  @Test
  void increment_badAmount_is400() {
    web.post()
        .uri("/state/counter2/increment?by=lots")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("lots"));
  }

  @Test
  void snapshot_hasTheNamespaceVersionAndValues() {
    put("snap-a", "1");
    put("snap-b", "[true]");
    Map<String, Object> body =
        web.get()
            .uri("/state")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    assertThat(body).containsEntry("namespace", "default");
    assertThat(((Number) body.get("version")).longValue()).isPositive();
    @SuppressWarnings("unchecked")
    Map<String, Object> values = (Map<String, Object>) body.get("values");
    assertThat(values).containsEntry("snap-a", 1).containsEntry("snap-b", List.of(true));
  }

  @Test
  void changes_newConnection_getsASnapshotThenEveryLaterChange() {
    put("sse-live", "0");
    Flux<ServerSentEvent<Map<String, Object>>> events = events(null);
    long[] start = new long[1];
    StepVerifier.create(events)
        .assertNext(
            snapshot -> {
              assertThat(snapshot.event()).isEqualTo("snapshot");
              assertThat(snapshot.data()).isNotNull();
              start[0] = ((Number) snapshot.data().get("version")).longValue();
              assertThat(snapshot.id()).isEqualTo(String.valueOf(start[0]));
              @SuppressWarnings("unchecked")
              Map<String, Object> values = (Map<String, Object>) snapshot.data().get("values");
              assertThat(values).containsEntry("sse-live", 0);
            })
        .then(() -> state.put("sse-live", 1).subscribe())
        .expectNextMatches(event -> change(start[0] + 1, Map.of("sse-live", 1)).test(event))
        .thenCancel()
        .verify(VERIFY);
  }

  @Test
  void changes_withLastEventId_resumesAfterThatVersion_thenGoesLive() {
    put("sse-resume", "1");
    long seen = version();
    put("sse-resume", "2");
    put("sse-resume", "3");
    StepVerifier.create(events(String.valueOf(seen)))
        .expectNextMatches(change(seen + 1, Map.of("sse-resume", 2)))
        .expectNextMatches(change(seen + 2, Map.of("sse-resume", 3)))
        .then(() -> state.put("sse-resume", 4).subscribe())
        .expectNextMatches(change(seen + 3, Map.of("sse-resume", 4)))
        .thenCancel()
        .verify(VERIFY);
  }

  @Test
  void changes_lastEventIdOlderThanTheJournal_is410() {
    Flux.range(0, 25).concatMap(i -> state.put("sse-flood", i)).blockLast(VERIFY);
    web.get()
        .uri("/changes")
        .accept(MediaType.TEXT_EVENT_STREAM) // as an EventSource sends it
        .header(StateController.LAST_EVENT_ID, "0")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.GONE)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            detail ->
                assertThat((String) detail)
                    .contains("reconnect to /changes without Last-Event-ID"));
  }

  @Test
  void changes_badLastEventId_is400() {
    web.get()
        .uri("/changes")
        .accept(MediaType.TEXT_EVENT_STREAM) // as an EventSource sends it
        .header(StateController.LAST_EVENT_ID, "yesterday")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            detail ->
                assertThat((String) detail).contains("Last-Event-ID").contains("'yesterday'"));
  }

  @Test
  void when_alreadyEqual_answersAtOnce() {
    put("oven", "\"hot\"");
    web.get()
        .uri("/when/oven?equals=hot")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.values.oven")
        .isEqualTo("hot");
  }

  @Test
  void when_waitsUntilAnotherRequestWritesTheValue() {
    put("door", "\"closed\"");
    // WebTestClient's exchange() waits for the answer; a WebClient request stays lazy, so the
    // StepVerifier can write the value while the first request waits.
    WebClient client = WebClient.create("http://localhost:" + port);
    Mono<Map<String, Object>> waiting =
        client
            .get()
            .uri("/when/door?equals={value}&timeout=10s", "\"open\"")
            .retrieve()
            .bodyToMono(JSON_OBJECT);
    Mono<Void> open =
        client
            .put()
            .uri("/state/door")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("\"open\"")
            .retrieve()
            .toBodilessEntity()
            .then();
    StepVerifier.create(waiting)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(300)) // the door is closed: no answer yet
        .then(() -> open.subscribe())
        .assertNext(
            snapshot -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> values = (Map<String, Object>) snapshot.get("values");
              assertThat(values).containsEntry("door", "open");
            })
        .expectComplete()
        .verify(VERIFY);
  }

  @Test
  void when_timesOut_is504() {
    web.get()
        .uri("/when/never?equals=5&timeout=200ms")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            detail ->
                assertThat((String) detail)
                    .contains("key 'never' did not come to equal 5 within PT0.2S"));
  }

  @Test
  void when_badTimeout_is400() {
    web.get()
        .uri("/when/k?equals=1&timeout=1h")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("at most PT20S").contains("'1h'"));
  }

  @Test
  void when_missingEquals_is400() {
    web.get()
        .uri("/when/k")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("equals"));
  }

  @Test
  void squares_answersInOrder() {
    web.post()
        .uri("/squares")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("[3, 1, 4, 1, 5, 9, 2, 6, -5, 3037000499]")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(LONGS)
        .isEqualTo(List.of(9L, 1L, 16L, 1L, 25L, 81L, 4L, 36L, 25L, 9223372030926249001L));
  }

  @Test
  void squares_streamsAsNdjson() {
    List<Integer> numbers = new ArrayList<>();
    List<Long> expected = new ArrayList<>();
    for (int n = 1; n <= 50; n++) {
      numbers.add(n);
      expected.add((long) n * n);
    }
    Flux<Long> squares =
        web.post()
            .uri("/squares")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_NDJSON)
            .bodyValue(numbers)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
            .returnResult(Long.class)
            .getResponseBody();
    StepVerifier.create(squares).expectNextSequence(expected).expectComplete().verify(VERIFY);
  }

  @Test
  void squares_overflow_is422NamingTheItem() {
    web.post()
        .uri("/squares")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("[1, 2, 3037000500]")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
        .expectBody()
        .jsonPath("$.index")
        .isEqualTo(2)
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("item 2").contains("overflow"));
  }

  @Test
  void squares_notAnArrayOfIntegers_is400() {
    web.post()
        .uri("/squares")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"n\": 3}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("the body is a JSON object"));
    web.post()
        .uri("/squares")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("[1, 2.5]")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("item 1 of the array is 2.5"));
  }

  @Test
  void squares_tooManyItems_is413() {
    web.post()
        .uri("/squares")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Collections.nCopies(101, 7))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("101 items, over the limit of 100"));
  }

  @Test
  void actuatorHealth_showsTheStartersZprocIndicatorUp() {
    web.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.zproc.status")
        .isEqualTo("UP")
        .jsonPath("$.components.zproc.details.namespace")
        .isEqualTo("default")
        .jsonPath("$.components.zproc.details.address")
        .value(address -> assertThat((String) address).startsWith("tcp://127.0.0.1:"));
  }

  @Test
  void actuatorMetrics_listsTheStartersZprocMeters() {
    web.get()
        .uri("/actuator/metrics")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.names")
        .value(
            names ->
                assertThat(new ArrayList<Object>((List<?>) names))
                    .contains(
                        "zproc.processes.started",
                        "zproc.processes.running",
                        "zproc.processes.spares.ready",
                        "zproc.processes.start",
                        "zproc.server.connections",
                        "zproc.server.watches",
                        "zproc.server.namespaces",
                        "zproc.server.journal.changes",
                        "zproc.server.journal.bytes"));
  }

  @Test
  void actuatorMetrics_journalOfTheNamespace_countsAPut() {
    put("metrics-key", "1");
    web.get()
        .uri("/actuator/metrics/zproc.server.journal.changes?tag=namespace:default")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.measurements[0].statistic")
        .isEqualTo("VALUE")
        .jsonPath("$.measurements[0].value")
        .value(value -> assertThat(((Number) value).doubleValue()).isGreaterThanOrEqualTo(1));
    web.get()
        .uri("/actuator/metrics/zproc.server.connections")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.measurements[0].value")
        .value(value -> assertThat(((Number) value).doubleValue()).isGreaterThanOrEqualTo(1));
  }

  @Test
  void actuatorPrometheus_scrapesTheZprocMeters() {
    put("prometheus-key", "1");
    web.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(
            text ->
                assertThat(text)
                    .contains("zproc_server_connections ")
                    .contains("zproc_server_journal_changes{namespace=\"default\"}")
                    .contains("zproc_server_journal_bytes{namespace=\"default\"}")
                    .contains("zproc_processes_started_total{kind=\"spare\"}")
                    .contains("zproc_processes_start_seconds_count{kind=\"jvm\"}"));
  }
}
