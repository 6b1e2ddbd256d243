package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZProcExceptionTest {

  @Test
  void code_asConstructed_printedByToString() {
    ZProcException e = new ZProcException(ErrorCode.LIMIT_EXCEEDED, "too big");
    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    assertThat(e).hasToString("io.zproc.ZProcException[LIMIT_EXCEEDED]: too big");
  }

  @Test
  @SuppressWarnings("deprecation")
  void deprecatedStringCode_knownName_isItsErrorCode() {
    assertThat(new ZProcException("UNAUTHORIZED", "no").code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(new ZProcException(ZProcException.VALUE, "no", null).code())
        .isEqualTo(ErrorCode.VALUE);
    assertThat(ChangesLostException.CODE).isEqualTo(ErrorCode.CHANGES_LOST.name());
  }

  @Test
  @SuppressWarnings("deprecation")
  void deprecatedStringCode_otherName_isUnknown() {
    assertThat(new ZProcException("NOPE", "no").code()).isEqualTo(ErrorCode.UNKNOWN);
  }

  @Test
  void subclasses_carryTheirCodes() {
    assertThat(new ChangesLostException(3, "lost", null).code()).isEqualTo(ErrorCode.CHANGES_LOST);
    assertThat(RemoteException.of(new IllegalStateException("x")).code())
        .isEqualTo(ErrorCode.REMOTE);
    assertThat(new ProcessFailedException(1, "failed", null).code())
        .isEqualTo(ErrorCode.PROCESS_FAILED);
  }
}
