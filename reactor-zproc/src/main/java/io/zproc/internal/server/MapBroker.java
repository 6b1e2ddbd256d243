package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Fields;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Hands the {@code processMap} batches of contexts to the remote workers that joined this server
 * (see {@code docs/wire-format.md#remote-workers}): a queue of batches waiting for a free slot, the
 * joined workers with their slots, and the batches each one runs. A batch whose worker leaves is
 * answered {@link Fields#LOST}, and its context runs it again.
 *
 * <p>It moves bytes only: tasks, items and outcomes are binary nodes it never reads (no Java
 * deserialization happens in the server). It is not a buffer of unbounded size: each context bounds
 * the batches it has here, and a connection may have at most {@link MapSessionOps#MAX_JOBS}.
 *
 * <p>Each worker's elements are sent under the broker's lock, so the worker sees them in the order
 * the broker decided them; it mirrors which tasks the worker holds ({@link #KNOWN_TASKS}, least
 * recently used first out, as the worker evicts them), so a task's code goes to a worker once.
 * Replies to contexts are completed outside the lock. <b>Threading:</b> thread-safe; nothing
 * blocks.
 */
final class MapBroker {
  /** How many tasks a worker holds before it forgets the least recently used one. */
  static final int KNOWN_TASKS = Fields.WORKER_TASKS;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final List<Member> members = new ArrayList<>();
  private final Map<Long, Job> running = new HashMap<>();
  private long ids;

  /** A call's task, registered by the connection of its context. */
  static final class Task {
    final long id;
    final byte[] code;
    final String namespace;
    final long session;

    Task(long id, byte[] code, String namespace, long session) {
      this.id = id;
      this.code = code;
      this.namespace = namespace;
      this.session = session;
    }
  }

  /** A batch waiting for a worker or running on one. */
  private static final class Job {
    final long id;
    final Task task;
    final long batch;
    final long first;
    final byte[] items;
    @Nullable MonoSink<JsonNode> reply;
    @Nullable Member at;

    Job(long id, Task task, long batch, long first, byte[] items, MonoSink<JsonNode> reply) {
      this.id = id;
      this.task = task;
      this.batch = batch;
      this.first = first;
      this.items = items;
      this.reply = reply;
    }
  }

  /** A joined worker. */
  private static final class Member {
    final long session;
    final int slots;
    final FluxSink<JsonNode> sink;
    final List<Job> jobs = new ArrayList<>();

    /** The tasks the worker holds, least recently used first (its own cache mirrored). */
    final LinkedHashMap<Long, Boolean> known =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > KNOWN_TASKS;
          }
        };

    Member(long session, int slots, FluxSink<JsonNode> sink) {
      this.session = session;
      this.slots = slots;
      this.sink = sink;
    }
  }

  /** Registers a call's task. */
  synchronized Task register(byte[] code, String namespace, long session) {
    return new Task(++ids, code, namespace, session);
  }

  /**
   * Queues a batch; completes with {@code {"out": bytes}} (the worker's outcome) or {@code {"lost":
   * true}} (its worker left first). A cancel takes it out of the queue.
   */
  Mono<JsonNode> submit(Task task, long batch, long first, byte[] items) {
    return Mono.create(
        sink -> {
          Job job;
          synchronized (this) {
            job = new Job(++ids, task, batch, first, items, sink);
            queue.add(job);
            dispatch();
          }
          sink.onCancel(() -> cancel(job));
        });
  }

  private synchronized void cancel(Job job) {
    job.reply = null;
    queue.remove(job);
  }

  /**
   * A worker's outcome of a job; false if the job is not one this connection's workers run (it was
   * answered lost meanwhile, or never theirs).
   */
  boolean done(long session, long jobId, byte[] outcome) {
    MonoSink<JsonNode> reply;
    synchronized (this) {
      Job job = running.get(jobId);
      if (job == null || job.at == null || job.at.session != session) {
        return false;
      }
      running.remove(jobId);
      job.at.jobs.remove(job);
      reply = job.reply;
      dispatch();
    }
    if (reply != null) {
      reply.success(NODES.objectNode().put(Fields.OUTCOME, outcome));
    }
    return true;
  }

  /** A worker joins with its slots: the stream of its work, whose end is its leaving. */
  Flux<JsonNode> join(long session, int slots) {
    return Flux.create(
        sink -> {
          Member member = new Member(session, slots, sink);
          synchronized (this) {
            members.add(member);
            sink.next(NODES.objectNode().put(Fields.JOINED, true));
            dispatch();
          }
          sink.onDispose(() -> leave(member));
        });
  }

  /** A worker left: the batches it ran are answered lost, to be run again. */
  private void leave(Member member) {
    List<MonoSink<JsonNode>> lost = new ArrayList<>();
    synchronized (this) {
      if (!members.remove(member)) {
        return;
      }
      for (Job job : member.jobs) {
        running.remove(job.id);
        if (job.reply != null) {
          lost.add(job.reply);
        }
      }
      member.jobs.clear();
      dispatch();
    }
    for (MonoSink<JsonNode> reply : lost) {
      reply.success(NODES.objectNode().put(Fields.LOST, true));
    }
  }

  /**
   * A call ended: its queued batches go (nobody waits for them), and the workers that hold its task
   * are told to drop it (a batch of it they run stops between items).
   */
  synchronized void drop(Task task) {
    for (Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
      Job job = it.next();
      if (job.task == task) {
        it.remove();
        MonoSink<JsonNode> reply = job.reply;
        if (reply != null) {
          job.reply = null;
          reply.success();
        }
      }
    }
    for (Member m : members) {
      if (m.known.remove(task.id) != null) {
        m.sink.next(NODES.objectNode().put(Fields.DROPPED, task.id));
      }
    }
  }

  /** How many workers have joined (tests, monitoring). */
  synchronized int workers() {
    return members.size();
  }

  /** How many batches wait for a worker (tests, monitoring). */
  synchronized int queued() {
    return queue.size();
  }

  /** Gives queued batches to the workers with the most free slots. Under the lock. */
  private void dispatch() {
    while (!queue.isEmpty()) {
      Member best = null;
      for (Member m : members) {
        int free = m.slots - m.jobs.size();
        if (free > 0 && (best == null || free > best.slots - best.jobs.size())) {
          best = m;
        }
      }
      if (best == null) {
        return;
      }
      Job job = queue.poll();
      job.at = best;
      best.jobs.add(job);
      running.put(job.id, job);
      ObjectNode element = NODES.objectNode();
      element.put(Fields.JOB, job.id);
      element.put(Fields.RUN, job.task.id);
      if (best.known.get(job.task.id) == null) {
        best.known.put(job.task.id, Boolean.TRUE);
        element.put(Fields.CODE, job.task.code);
        element.put(Fields.NS, job.task.namespace);
      }
      element.put(Fields.BATCH, job.batch);
      element.put(Fields.FIRST, job.first);
      element.put(Fields.ITEMS, job.items);
      best.sink.next(element);
    }
  }
}
