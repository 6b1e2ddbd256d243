package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  private static final String ADDRESS = "tcp://127.0.0.1:1";

  @Test
  void toFailure_wireException_sameCodeAndMessage() {
    assertThat(Failures.toFailure(new WireException("X", "why")))
        .isEqualTo(new WireReply.Failure("X", "why"));
  }

  @Test
  void toFailure_otherException_internalNamingItsClass() {
    WireReply.Failure failure = Failures.toFailure(new IllegalStateException("boom"));

    assertThat(failure.code()).isEqualTo(WireException.INTERNAL);
    assertThat(failure.message()).contains("java.lang.IllegalStateException").contains("boom");
  }

  @Test
  void streamErrorText_codeInBrackets_parsedBackByFromTransport() {
    String text = Failures.streamErrorText(new WireException("GONE", "gone away"));

    WireException back =
        (WireException) Failures.fromTransport(new ApplicationErrorException(text), ADDRESS);

    assertThat(text).isEqualTo("[GONE] gone away");
    assertThat(back.code()).isEqualTo("GONE");
    assertThat(back).hasMessage("gone away");
  }

  @Test
  void fromTransport_applicationErrorWithoutCode_internal() {
    WireException error =
        (WireException) Failures.fromTransport(new ApplicationErrorException("plain"), ADDRESS);

    assertThat(error.code()).isEqualTo(WireException.INTERNAL);
  }

  @Test
  void fromTransport_rejectedSetup_unauthorizedNamingTheAddress() {
    WireException error =
        (WireException)
            Failures.fromTransport(new RejectedSetupException("wrong secret key"), ADDRESS);

    assertThat(error.code()).isEqualTo(WireException.UNAUTHORIZED);
    assertThat(error).hasMessageContaining(ADDRESS).hasMessageContaining("wrong secret key");
  }

  @Test
  void fromTransport_closedChannel_connectionClosed() {
    WireException error =
        (WireException) Failures.fromTransport(new ClosedChannelException(), ADDRESS);

    assertThat(error.code()).isEqualTo(WireException.CONNECTION_CLOSED);
  }

  @Test
  void fromTransport_otherException_unchanged() {
    IllegalStateException other = new IllegalStateException("x");

    assertThat(Failures.fromTransport(other, ADDRESS)).isSameAs(other);
  }

  @Test
  void fromConnect_otherException_connectionClosed() {
    WireException error = Failures.fromConnect(new IllegalArgumentException("no server"), ADDRESS);

    assertThat(error.code()).isEqualTo(WireException.CONNECTION_CLOSED);
    assertThat(error).hasMessageContaining(ADDRESS).hasMessageContaining("no server");
  }

  @Test
  void tooLarge_namesOpSizeLimitAndFix() {
    WireException error = Failures.tooLarge("put", 70_000, 65_536);

    assertThat(error.code()).isEqualTo(WireException.LIMIT_EXCEEDED);
    assertThat(error)
        .hasMessageContaining("'put'")
        .hasMessageContaining("70000")
        .hasMessageContaining("65536")
        .hasMessageContaining("maxFrameSize");
  }
}
