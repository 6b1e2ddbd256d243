package io.zproc.examples.webflux;

import io.zproc.MapOptions;
import io.zproc.ZProc;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /squares}: fans a list of numbers out to a pool of workers with {@link
 * ZProc#processMap} and answers with their squares, in the list's order.
 *
 * <p>With {@code Accept: application/json} (the default) the answer is one JSON array, sent once
 * every square is in, so a failure still gets a proper error status. With {@code Accept:
 * application/x-ndjson} each square is written as soon as it and every one before it are done, one
 * per line; a failure then cuts the stream short after the squares before the failed item.
 *
 * <p>The workers are child JVMs ({@code zproc.map.backend=JVM}, the default) or threads ({@code
 * THREAD}); the pool belongs to the {@link ZProc} bean and is reused across requests. The request's
 * demand bounds the work in flight, and a client that goes away cancels its items.
 */
@RestController
public class SquaresController {
  private final ZProc zproc;
  private final MapOptions options;
  private final int maxItems;

  /**
   * @param zproc the context whose worker pool runs the squares
   * @param map the settings of this endpoint ({@code zproc.map.*})
   */
  public SquaresController(ZProc zproc, MapSettings map) {
    this.zproc = zproc;
    this.options = map.options();
    this.maxItems = map.maxItems();
  }

  /**
   * Squares each number of a JSON array of integers, such as {@code [1, 2, 3]}, and answers with
   * one JSON array once every square is in.
   *
   * @return emits the squares in the array's order; errors with 400 if the body is not an array of
   *     integers, 413 if it has more than {@code zproc.map.max-items} of them, 422 naming the item
   *     whose square overflows a {@code long}
   */
  @PostMapping(
      path = "/squares",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public Mono<List<Long>> squares(@RequestBody Mono<JsonNode> body) {
    // Collected first, so that a failure on any item still gets its own status (Spring would
    // otherwise start writing the array with the first square, committing a 200).
    return streamSquares(body).collectList();
  }

  /**
   * As {@link #squares}, for {@code Accept: application/x-ndjson}: each square is written, one per
   * line, as soon as it and every square before it are done. A failure cuts the stream short after
   * the squares before the failed item.
   *
   * @return the squares in the array's order
   */
  @PostMapping(
      path = "/squares",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_NDJSON_VALUE)
  public Flux<Long> streamSquares(@RequestBody Mono<JsonNode> body) {
    return body.map(this::numbers)
        .flatMapMany(numbers -> zproc.processMap(numbers, Squares.TASK, options));
  }

  private List<Long> numbers(JsonNode body) {
    if (!body.isArray()) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          "the body is a JSON "
              + kind(body)
              + "; POST /squares takes a JSON array of integers, such as [1, 2, 3]");
    }
    if (body.size() > maxItems) {
      throw new ResponseStatusException(
          HttpStatus.CONTENT_TOO_LARGE,
          "the array has "
              + body.size()
              + " items, over the limit of "
              + maxItems
              + "; send fewer or raise zproc.map.max-items");
    }
    List<Long> numbers = new ArrayList<>(body.size());
    for (int i = 0; i < body.size(); i++) {
      JsonNode item = body.get(i);
      if (!item.isIntegralNumber() || !item.canConvertToLong()) {
        throw new ResponseStatusException(
            HttpStatus.BAD_REQUEST,
            "item "
                + i
                + " of the array is "
                + item
                + " (a "
                + kind(item)
                + "); POST /squares takes integers between "
                + Long.MIN_VALUE
                + " and "
                + Long.MAX_VALUE);
      }
      numbers.add(item.longValue());
    }
    return numbers;
  }

  private static String kind(JsonNode node) {
    if (node.isIntegralNumber()) {
      return "integer out of the long range";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
