package io.zproc.redis;

import io.zproc.ServerOptions;
import io.zproc.ZProc;
import io.zproc.ZProcServer;
import java.time.Duration;

/**
 * Run by {@link WithoutLettuceTest} in a JVM without Lettuce: the memory store works, and a redis
 * store fails with a message naming the artifact to add.
 */
public final class NoLettuceMain {
  private NoLettuceMain() {}

  public static void main(String[] args) throws Exception {
    boolean absent;
    try {
      Class.forName("io.lettuce.core.RedisClient");
      absent = false;
    } catch (ClassNotFoundException e) {
      absent = true;
    }
    try (ZProc ctx = ZProc.start()) {
      ctx.state().put("k", 1).block(Duration.ofSeconds(20));
      System.out.println("lettuce=" + (absent ? "absent" : "present") + " memory=ok");
    }
    try (ZProcServer server =
        ZProcServer.start(
            "tcp://127.0.0.1:0", ServerOptions.defaults().store("redis://127.0.0.1:6379"))) {
      System.out.println("redis store started without Lettuce: " + server);
    } catch (IllegalStateException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}
