package io.zproc.internal.client;

import io.zproc.ZProcException;
import io.zproc.rsocket.FluxMapError;
import io.zproc.rsocket.WireException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The transport's errors as the library's: a {@link WireException} becomes a {@link ZProcException}
 * ({@link Errors#toZProc}); other signals, and other errors, pass unchanged.
 *
 * <p>Through the transport's {@link FluxMapError}, not {@code onErrorMap}: a cancel always reaches
 * the source (else a watch or an atomic's queued turn could stay open on the server), and a caller
 * blocked in {@code block()} is still seen through it.
 */
final class ZProcErrors {
  private ZProcErrors() {}

  /** {@code source}, its {@link WireException} turned into a {@link ZProcException}. */
  static <T> Flux<T> of(Flux<? extends T> source) {
    return FluxMapError.mapError(source, ZProcErrors::map);
  }

  /** The same for a Mono (a request that waits on the server must not lose its cancel either). */
  static <T> Mono<T> of(Mono<? extends T> source) {
    return FluxMapError.mapError(source, ZProcErrors::map);
  }

  /** What an error becomes. */
  static Throwable map(Throwable error) {
    return error instanceof WireException ? Errors.toZProc((WireException) error) : error;
  }
}
