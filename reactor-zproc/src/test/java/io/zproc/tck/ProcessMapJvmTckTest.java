package io.zproc.tck;

import io.zproc.MapOptions;

/** The Reactive Streams TCK's publisher rules against {@code processMap} over worker JVMs. */
public class ProcessMapJvmTckTest extends ProcessMapThreadsTckTest {
  /** Two worker JVMs. */
  public ProcessMapJvmTckTest() {
    super(MapOptions.defaults().count(2));
  }
}
