package io.zproc.internal.process;

import io.zproc.ZProcess;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** What every backend's process shares: its one outcome and its exit code. */
abstract class BaseProcess<R> implements ZProcess<R> {
  private static final int RUNNING = Integer.MIN_VALUE;

  final Sinks.One<R> result = Sinks.one();
  private volatile int exitCode = RUNNING;

  /** Emits the task's value; null completes the result empty. */
  final void succeed(@Nullable R value) {
    if (value == null) {
      result.tryEmitEmpty();
    } else {
      result.tryEmitValue(value);
    }
  }

  final void recordExit(int code) {
    exitCode = code;
  }

  @Override
  public final OptionalInt exitCode() {
    int code = exitCode;
    return code == RUNNING ? OptionalInt.empty() : OptionalInt.of(code);
  }

  @Override
  public final Mono<R> result() {
    return result.asMono();
  }
}
