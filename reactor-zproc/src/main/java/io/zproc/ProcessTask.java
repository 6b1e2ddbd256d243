package io.zproc;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ZProc#process(ProcessTask)} runs in a child: a serializable lambda or method
 * reference whose captured values are its arguments (the original's {@code args}/{@code kwargs}).
 *
 * <p>It travels to the child by Java serialization, so everything it captures must be serializable;
 * capturing a {@link ZProc} fails at {@code process(...)} (use {@link ContextTask} and {@link
 * ZProc#processWithContext} to get a context in the child).
 *
 * @param <R> the result type; the parent's {@link ZProcess#result()} emits it as this type
 */
@FunctionalInterface
public interface ProcessTask<R> extends Serializable {

  /**
   * Runs in the child.
   *
   * @param state the child's client of the context's namespace
   * @return the result, sent back to the parent (must be serializable; null completes empty)
   * @throws Exception to fail the process: the parent's result errors with {@link
   *     ProcessFailedException}; throw {@link ProcessExit} to end with a chosen status
   */
  @Nullable R run(State state) throws Exception;
}
