package io.zproc.internal.process;

import io.zproc.ZProcess;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What every backend's process shares: its one outcome and its exit code. A backend records the
 * exit first and then emits the outcome, so that whoever sees {@link #result()} end also sees
 * {@link #exitCode()} present and {@link #isAlive()} false (as the original's {@code wait()} joins
 * the process).
 */
abstract class BaseProcess<R> implements ZProcess<R> {
  private static final int RUNNING = Integer.MIN_VALUE;

  final Sinks.One<R> result = Sinks.one();
  private final Sinks.One<Integer> exit = Sinks.one();
  private volatile int exitCode = RUNNING;

  /** Emits the task's value; null completes the result empty. */
  final void succeed(@Nullable R value) {
    if (value == null) {
      result.tryEmitEmpty();
    } else {
      result.tryEmitValue(value);
    }
  }

  /** Records the exit code and emits it to {@link #onExit()}; the first call wins. */
  final void recordExit(int code) {
    if (exitCode == RUNNING) {
      exitCode = code;
    }
    exit.tryEmitValue(code);
  }

  /** Whether the exit has been recorded. */
  final boolean ended() {
    return exitCode != RUNNING;
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

  @Override
  public final Mono<Integer> onExit() {
    return exit.asMono();
  }
}
