package io.zproc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ErrorCode;
import io.zproc.rsocket.WireException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorCodesTest {

  /** Every code the transport and the state server put on the wire. */
  private static List<String> wireCodes() throws IllegalAccessException {
    List<String> codes = new ArrayList<>();
    for (Field f : WireException.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        codes.add((String) f.get(null));
      }
    }
    codes.add(ErrorCodes.CHANGES_LOST);
    return codes;
  }

  @Test
  void of_everyWireCode_mapsToItsErrorCodeAndBack() throws Exception {
    List<String> codes = wireCodes();
    assertThat(codes).hasSizeGreaterThanOrEqualTo(8);
    for (String wire : codes) {
      ErrorCode code = ErrorCodes.of(wire);
      assertThat(code).as(wire).isNotEqualTo(ErrorCode.UNKNOWN);
      assertThat(code.name()).isEqualTo(wire);
      assertThat(ErrorCodes.wireCode(code)).isEqualTo(wire);
    }
  }

  @Test
  void wireCode_everyErrorCodeWithOne_mapsBack() {
    for (ErrorCode code : ErrorCode.values()) {
      String wire = ErrorCodes.wireCode(code);
      if (wire != null) {
        assertThat(ErrorCodes.of(wire)).isEqualTo(code);
      }
    }
  }

  @Test
  void of_localOnlyCodes_haveNoWireCode() {
    assertThat(ErrorCodes.wireCode(ErrorCode.VALUE)).isNull();
    assertThat(ErrorCodes.wireCode(ErrorCode.REMOTE)).isNull();
    assertThat(ErrorCodes.wireCode(ErrorCode.PROCESS_FAILED)).isNull();
    assertThat(ErrorCodes.wireCode(ErrorCode.UNKNOWN)).isNull();
  }

  @Test
  void of_unknownWireCode_isUnknown() {
    assertThat(ErrorCodes.of("NOPE")).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(ErrorCodes.of(new WireException("GONE", "gone"))).isEqualTo(ErrorCode.UNKNOWN);
  }
}
