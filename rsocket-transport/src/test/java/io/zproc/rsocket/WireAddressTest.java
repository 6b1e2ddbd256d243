package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireAddressTest {

  @Test
  void parse_tcp_hostAndPort() {
    assertThat(WireAddress.parse("tcp://127.0.0.1:5000"))
        .isEqualTo(new WireAddress("tcp", "127.0.0.1", 5000, ""));
  }

  @Test
  void parse_tcpPortZero_meansAnyPort() {
    assertThat(WireAddress.parse("tcp://0.0.0.0:0"))
        .isEqualTo(new WireAddress("tcp", "0.0.0.0", 0, ""));
  }

  @Test
  void parse_tcpHostName_kept() {
    assertThat(WireAddress.parse("tcp://localhost:65535"))
        .isEqualTo(new WireAddress("tcp", "localhost", 65535, ""));
  }

  @Test
  void parse_tcpTrailingSlash_ignored() {
    assertThat(WireAddress.parse("tcp://localhost:1/"))
        .isEqualTo(WireAddress.parse("tcp://localhost:1"));
  }

  @Test
  void parse_tcpIpv6_hostWithoutBrackets() {
    WireAddress address = WireAddress.parse("tcp://[::1]:7000");

    assertThat(address).isEqualTo(new WireAddress("tcp", "::1", 7000, ""));
    assertThat(address).hasToString("tcp://[::1]:7000");
  }

  @Test
  void parse_wsIpv6WithPath_roundTrips() {
    WireAddress address = WireAddress.parse("ws://[fe80::1]:8080/zproc/state");

    assertThat(address).isEqualTo(new WireAddress("ws", "fe80::1", 8080, "/zproc/state"));
    assertThat(WireAddress.parse(address.toString())).isEqualTo(address);
  }

  @Test
  void parse_wsWithPath_keepsPath() {
    assertThat(WireAddress.parse("ws://127.0.0.1:0/zproc"))
        .isEqualTo(new WireAddress("ws", "127.0.0.1", 0, "/zproc"));
  }

  @Test
  void parse_wsWithoutPath_rootPath() {
    assertThat(WireAddress.parse("ws://example.com:80").path()).isEqualTo("/");
  }

  @Test
  void parse_unix_absolutePath() {
    assertThat(WireAddress.parse("unix:///tmp/zproc.sock"))
        .isEqualTo(new WireAddress("unix", "", -1, "/tmp/zproc.sock"));
  }

  @Test
  void parse_local_name() {
    assertThat(WireAddress.parse("local:my-server"))
        .isEqualTo(new WireAddress("local", "", -1, "my-server"));
  }

  @Test
  void parse_localWithSlashes_sameName() {
    assertThat(WireAddress.parse("local://my-server"))
        .isEqualTo(WireAddress.parse("local:my-server"));
  }

  @Test
  void parse_upperCaseSchemeAndBlanks_normalised() {
    assertThat(WireAddress.parse("  TCP://127.0.0.1:1  "))
        .isEqualTo(new WireAddress("tcp", "127.0.0.1", 1, ""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tcp://127.0.0.1:0",
        "tcp://[::1]:5000",
        "ws://localhost:80/",
        "ws://127.0.0.1:9/a/b",
        "unix:///tmp/x.sock",
        "local:name"
      })
  void toString_parsedAddress_parsesBackToTheSame(String text) {
    WireAddress address = WireAddress.parse(text);

    assertThat(WireAddress.parse(address.toString())).isEqualTo(address);
    assertThat(address).hasToString(text);
  }

  @Test
  void withPort_boundPort_replacesPortOnly() {
    assertThat(WireAddress.parse("ws://h:0/p").withPort(4711))
        .isEqualTo(new WireAddress("ws", "h", 4711, "/p"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                       | has no scheme",
        "localhost:5000           | unknown",
        ":5000                    | has no scheme",
        "http://127.0.0.1:80      | the scheme 'http' is unknown",
        "tcp://127.0.0.1          | no port",
        "tcp://127.0.0.1:         | no port",
        "tcp://127.0.0.1:65536    | no port between 0 and 65535",
        "tcp://127.0.0.1:-1       | no host",
        "tcp://:5000              | no host",
        "tcp:5000                 | no host",
        "tcp://127.0.0.1:1/path   | a tcp address has no path",
        "tcp://127.0.0.1:1?q=1    | query or fragment",
        "ws://127.0.0.1:1/p#frag  | query or fragment",
        "tcp://a b:1              | bad address",
        "ws://:80/p               | no host",
        "unix:/tmp/x.sock         | unix:///absolute/path",
        "unix://tmp/x.sock        | must be absolute",
        "unix://                  | must be absolute",
        "unix:///                 | must be absolute",
        "local:                   | needs a name",
        "local://                 | needs a name"
      })
  void parse_badAddress_illegalArgumentNamingTheAcceptedForms(String address, String why) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WireAddress.parse(address))
        .withMessageContaining("'" + address + "'")
        .withMessageContaining(why)
        .withMessageContaining(WireAddress.ACCEPTED_FORMS);
  }

  @Test
  void parse_null_nullPointerNamingTheParameter() {
    assertThatNullPointerException()
        .isThrownBy(() -> WireAddress.parse(null))
        .withMessage("address");
  }
}
