package io.zproc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The code of the README's and {@code docs/spring.md}'s Spring snippet (and {@link
 * ZProcAutoConfiguration}'s javadoc), as a bean of an application context with the starter: the web
 * annotations aside, the same class.
 */
class SnippetsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The snippet's controller, without {@code @RestController} and {@code @PostMapping}. */
  static class Cookies {
    private final State state;

    Cookies(State state) {
      this.state = state;
    }

    Mono<Long> bake() {
      return state.increment("cookies", 1);
    }

    Mono<Object> when(int n) {
      return state.whenEqual("cookies", n).map(snapshot -> snapshot.get("cookies"));
    }
  }

  @Test
  void cookies_bakeWithTheStartersState() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZProcAutoConfiguration.class))
        .withBean(Cookies.class)
        .run(
            context -> {
              Cookies cookies = context.getBean(Cookies.class);
              cookies.bake().as(StepVerifier::create).expectNext(1L).expectComplete().verify(WAIT);
              cookies.bake().as(StepVerifier::create).expectNext(2L).expectComplete().verify(WAIT);
              assertThat(cookies.when(2).block(WAIT)).isEqualTo(2);
            });
  }
}
