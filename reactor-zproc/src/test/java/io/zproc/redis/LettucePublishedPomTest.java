package io.zproc.redis;

import static io.zproc.testing.OptionalDependencies.assertOptionalAtTestedVersion;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

/**
 * The POM published for reactor-zproc names Lettuce as an optional dependency at the version the
 * tests ran with: a user of the memory store resolves nothing of it.
 */
class LettucePublishedPomTest {

  @Test
  void lettuce_optional_atTheTestedVersion_nothingOfItsRequired() throws Exception {
    assertOptionalAtTestedVersion(
        "io.lettuce",
        "lettuce-core",
        RedisClient.class,
        group -> group.equals("io.lettuce") || group.startsWith("redis.clients"));
  }
}
