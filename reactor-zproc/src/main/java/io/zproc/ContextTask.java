package io.zproc;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ZProc#processWithContext(ContextTask)} runs: the child gets its own {@link ZProc}
 * connected to the same server (the original's {@code pass_context}), able to start processes and
 * maps of its own.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface ContextTask<R> extends Serializable {

  /**
   * Runs in the child.
   *
   * @param ctx the child's own context; closed by the library when the task ends
   * @return the result, sent back to the parent (must be serializable; null completes empty)
   * @throws Exception to fail the process
   */
  @Nullable R run(ZProc ctx) throws Exception;
}
