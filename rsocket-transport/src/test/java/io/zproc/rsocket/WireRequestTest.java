package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class WireRequestTest {

  @Test
  void of_op_emptyMutableArgs() {
    WireRequest request = WireRequest.of("get");
    request.args().put("key", "k");

    assertThat(request.op()).isEqualTo("get");
    assertThat(request.args().get("key").textValue()).isEqualTo("k");
  }

  @Test
  void new_argsWithOpEntry_illegalArgumentNamingIt() {
    ObjectNode args = JsonNodeFactory.instance.objectNode().put("op", "clear");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WireRequest("get", args))
        .withMessageContaining("'get'")
        .withMessageContaining("'op' entry");
  }

  @Test
  void new_nullOp_nullPointerNamingIt() {
    ObjectNode args = JsonNodeFactory.instance.objectNode();

    assertThatNullPointerException()
        .isThrownBy(() -> new WireRequest(null, args))
        .withMessage("op");
  }
}
