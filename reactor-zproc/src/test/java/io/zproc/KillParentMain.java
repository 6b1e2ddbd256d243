package io.zproc;

/**
 * A parent JVM for {@link ParentDeathTest}: starts a context, a child and a map worker that would
 * sleep for a minute, prints their pids, and waits to be killed.
 */
public final class KillParentMain {
  private KillParentMain() {}

  public static void main(String[] args) throws Exception {
    ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0));
    ZProcess<Object> child =
        ctx.process(
            state -> {
              state.put("child-started", true).block();
              Thread.sleep(60_000);
              return null;
            });
    ctx.processMap(
            java.util.List.of(1),
            (State state, Integer x) -> {
              state.put("worker-pid", ProcessHandle.current().pid()).block();
              Thread.sleep(60_000);
              return x;
            },
            MapOptions.defaults().count(1))
        .subscribe();
    ctx.state().whenAvailable("child-started").block();
    ctx.state().whenAvailable("worker-pid").block();
    System.out.println("PORT " + ctx.address().substring(ctx.address().lastIndexOf(':') + 1));
    System.out.println("WORKER " + ctx.state().get("worker-pid").block());
    System.out.println("CHILD " + child.pid());
    System.out.flush();
    Thread.sleep(120_000);
  }
}
