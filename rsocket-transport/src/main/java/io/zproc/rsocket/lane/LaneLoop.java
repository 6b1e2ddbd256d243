package io.zproc.rsocket.lane;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.netty.resources.LoopResources;

/**
 * The lane server's one epoll event loop, with {@link LaneSpin} as its select strategy (Reactor
 * Netty's own loops take no strategy).
 */
final class LaneLoop implements LoopResources {
  private final EventLoopGroup group;

  LaneLoop(LaneSpin spin) {
    this.group =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("zproc-lane-server", true) {
              @Override
              protected Thread newThread(Runnable r, String name) {
                return new LaneThread(threadGroup, r, name);
              }
            },
            EpollIoHandler.newFactory(0, () -> spin));
  }

  @Override
  public EventLoopGroup onServer(boolean useNative) {
    return group;
  }

  @Override
  public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
    return Mono.create(
        sink ->
            group
                .shutdownGracefully(
                    quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .addListener(done -> sink.success()));
  }

  @Override
  public boolean isDisposed() {
    return group.isShutdown();
  }

  /**
   * The lane loop's thread: a Reactor {@link NonBlocking} thread like Reactor Netty's own, so that
   * nothing continued on it (a watcher's or a client's callback in this JVM) ever blocks on it.
   */
  private static final class LaneThread extends FastThreadLocalThread implements NonBlocking {
    LaneThread(ThreadGroup group, Runnable r, String name) {
      super(group, r, name);
    }
  }
}
