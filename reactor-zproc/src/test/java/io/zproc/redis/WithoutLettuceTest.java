package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.testing.OptionalDependencies;
import org.junit.jupiter.api.Test;

/**
 * Lettuce is an optional dependency: a JVM whose class path is this test's minus Lettuce serves the
 * memory store, and a server asked for a redis store says which artifact to add.
 */
class WithoutLettuceTest {

  @Test
  void noLettuceOnTheClassPath_memoryWorks_andRedisNamesTheArtifact() throws Exception {
    assertThat(OptionalDependencies.runWithout("lettuce-", NoLettuceMain.class))
        .contains("lettuce=absent memory=ok")
        .contains("refused: the store redis://127.0.0.1:6379")
        .contains("add the dependency io.lettuce:lettuce-core");
  }
}
