package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class WireExceptionTest {

  @Test
  void toString_codeAndMessage() {
    assertThat(new WireException("NOT_FOUND", "no key 'k'"))
        .hasToString("WireException[NOT_FOUND]: no key 'k'");
  }

  @Test
  void new_withCause_keepsCodeAndCause() {
    IllegalStateException cause = new IllegalStateException("x");

    WireException error = new WireException(WireException.INTERNAL, "failed", cause);

    assertThat(error.code()).isEqualTo(WireException.INTERNAL);
    assertThat(error).hasCause(cause);
  }

  @Test
  void new_nullCode_nullPointerNamingIt() {
    assertThatNullPointerException()
        .isThrownBy(() -> new WireException(null, "m"))
        .withMessage("code");
  }

  @Test
  void failureToException_sameCodeAndMessage() {
    WireException error = new WireReply.Failure("GONE", "gone").toException();

    assertThat(error.code()).isEqualTo("GONE");
    assertThat(error).hasMessage("gone");
  }
}
