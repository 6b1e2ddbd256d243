package io.zproc.internal.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a child JVM's command line: the parent's java and classpath, lean flags. */
final class Launcher {
  private Launcher() {}

  /** Flags that make a small, fast-starting child. */
  static final List<String> LEAN_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:-UsePerfData",
          "-Xss512k",
          "-Xms8m",
          "-XX:ReservedCodeCacheSize=32m",
          "-Xshare:auto",
          "-Dio.netty.jfr.enabled=false",
          "-Dio.netty.eventLoopThreads=2",
          "-Dreactor.netty.ioWorkerCount=1");

  static List<String> command(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LEAN_FLAGS);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    return command;
  }
}
