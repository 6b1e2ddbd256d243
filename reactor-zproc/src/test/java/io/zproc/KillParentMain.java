package io.zproc;

/**
 * A parent JVM for {@link ParentDeathTest}: starts a context and a child that would sleep for a
 * minute, prints the child's pid, and waits to be killed.
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
    ctx.state().whenAvailable("child-started").block();
    System.out.println("PORT " + ctx.address().substring(ctx.address().lastIndexOf(':') + 1));
    System.out.println("CHILD " + child.pid());
    System.out.flush();
    Thread.sleep(120_000);
  }
}
