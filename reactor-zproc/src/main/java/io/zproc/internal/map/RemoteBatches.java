package io.zproc.internal.map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * How a context's pool reaches the remote workers that joined its server (the client implements it
 * with the {@code mapBatch} and {@code mapDrop} operations). Not API.
 */
public interface RemoteBatches {

  /**
   * The server's answer to a batch.
   *
   * @param outcome the worker's outcome of the batch ({@link MapFrames#outcome} payload), or null
   * @param lost the worker running it left before it answered: run it again
   * @param unknownTask the server does not have the call's task: send the batch again with it
   */
  record Reply(byte @Nullable [] outcome, boolean lost, boolean unknownTask) {}

  /**
   * Sends a batch; completes with the server's answer (empty if the call was dropped meanwhile),
   * errors with a {@code ZProcException} if the server cannot take it.
   *
   * @param run the call's id in this context
   * @param task the call's serialized task, or null if the server has it already
   * @param batch the batch's id in this context
   * @param first the index of its first item
   * @param items its items, encoded by {@link MapCodec}
   */
  Mono<Reply> batch(long run, byte @Nullable [] task, long batch, long first, byte[] items);

  /** A call ended: the server and its workers forget its task (fire and forget). */
  void drop(long run);
}
