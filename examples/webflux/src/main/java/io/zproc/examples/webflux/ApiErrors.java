package io.zproc.examples.webflux;

import io.zproc.ChangesLostException;
import io.zproc.MapTaskException;
import io.zproc.RemoteException;
import io.zproc.ZProcException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Turns every error into an RFC 9457 problem response ({@code application/problem+json}) whose
 * {@code detail} says what was wrong and what to do.
 *
 * <p>Spring's own errors (malformed JSON, a missing body or parameter, an unsupported media type,
 * an unknown route) keep their 4xx status; for bad input the detail also carries the parser's
 * message. reactor-zproc's {@link ZProcException}s get a status by their {@link
 * ZProcException#code() code}, whose name the problem repeats as its {@code code} property:
 *
 * <table>
 *   <caption>ZProcException to HTTP status</caption>
 *   <tr><th>error</th><th>status</th></tr>
 *   <tr><td>{@link ChangesLostException}: a {@code Last-Event-ID} older than the journal</td>
 *       <td>410 Gone</td></tr>
 *   <tr><td>{@link MapTaskException}: a {@code processMap} task threw on an item</td>
 *       <td>422 Unprocessable Content (with the item's {@code index})</td></tr>
 *   <tr><td>{@code INVALID_ARGUMENT}, {@code BAD_REQUEST}, {@code VALUE}</td>
 *       <td>400 Bad Request</td></tr>
 *   <tr><td>{@code LIMIT_EXCEEDED}: a key or value over the server's limits</td>
 *       <td>413 Content Too Large</td></tr>
 *   <tr><td>{@code CONNECTION_CLOSED}: the state server is unreachable</td>
 *       <td>503 Service Unavailable</td></tr>
 *   <tr><td>anything else ({@code UNAUTHORIZED}, {@code INTERNAL}, a remote failure, ...)</td>
 *       <td>502 Bad Gateway</td></tr>
 * </table>
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  /** Made by Spring. */
  public ApiErrors() {}

  /**
   * A reactor-zproc error as a problem response.
   *
   * @param error the error a handler's {@code Mono} or {@code Flux} ended with
   * @return the problem, with the status of the table above
   */
  @ExceptionHandler(ZProcException.class)
  public ResponseEntity<ProblemDetail> zproc(ZProcException error) {
    HttpStatus status = status(error);
    String detail = String.valueOf(error.getMessage());
    if (error instanceof ChangesLostException) {
      detail += "; reload GET /state and reconnect to /changes without Last-Event-ID";
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setProperty("code", error.code().name());
    if (error instanceof MapTaskException failed) {
      problem.setProperty("index", failed.index());
    }
    if (status.is5xxServerError()) {
      log.warn("request failed with {}: {}", status, error.toString(), error);
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  /**
   * Every problem goes out as {@code application/problem+json}, also to a client that asked for
   * {@code text/event-stream}: an {@code EventSource} that gets an error status stops reconnecting,
   * and {@code curl} shows a readable body instead of a {@code data:} line.
   */
  @Override
  protected Mono<ResponseEntity<Object>> createResponseEntity(
      @Nullable Object body,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    if (body instanceof ProblemDetail) {
      HttpHeaders problemHeaders = new HttpHeaders();
      problemHeaders.putAll(headers);
      problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
      headers = problemHeaders;
    }
    return super.createResponseEntity(body, headers, status, exchange);
  }

  /**
   * Malformed input: adds the underlying parser or conversion message (such as Jackson's
   * "Unexpected character ... at line 1, column 5") to Spring's terse "Failed to read HTTP
   * message".
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException error,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    Throwable cause = error.getMostSpecificCause();
    if (cause != error && cause.getMessage() != null) {
      error.getBody().setDetail(error.getReason() + ": " + cause.getMessage());
    }
    return super.handleServerWebInputException(error, headers, status, exchange);
  }

  private static HttpStatus status(ZProcException error) {
    if (error instanceof ChangesLostException) {
      return HttpStatus.GONE;
    }
    if (error instanceof MapTaskException) {
      return HttpStatus.UNPROCESSABLE_CONTENT;
    }
    if (error instanceof RemoteException) {
      return HttpStatus.BAD_GATEWAY;
    }
    switch (error.code()) {
      case INVALID_ARGUMENT:
      case BAD_REQUEST:
      case VALUE:
        return HttpStatus.BAD_REQUEST;
      case LIMIT_EXCEEDED:
        return HttpStatus.CONTENT_TOO_LARGE;
      case CONNECTION_CLOSED:
        return HttpStatus.SERVICE_UNAVAILABLE;
      default:
        return HttpStatus.BAD_GATEWAY;
    }
  }
}
