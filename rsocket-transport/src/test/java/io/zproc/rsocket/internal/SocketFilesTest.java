package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.zproc.rsocket.WireAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocketFilesTest {

  @Test
  void names_byPort_inThePrivateDirectory() {
    Path dir = PrivateDir.get();
    assertThat(dir).isNotNull();
    assertThat(SocketFiles.localSocket(5000)).isEqualTo(dir.resolve("tcp-5000.sock"));
    assertThat(SocketFiles.lane(5000)).isEqualTo(dir.resolve("tcp-5000.lane"));
    assertThat(SocketFiles.connectionFile(5000)).isEqualTo(dir.resolve("tcp-5000.key"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:5000", "tcp://localhost:5000", "tcp://0.0.0.0:5000"})
  void connectionFile_loopbackTcp_byItsPort(String address) {
    assertThat(SocketFiles.connectionFile(WireAddress.parse(address)))
        .isEqualTo(SocketFiles.connectionFile(5000));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tcp://10.0.0.1:5000",
        "tcp://127.0.0.1:0",
        "ws://127.0.0.1:5000/state",
        "local:x"
      })
  void connectionFile_otherAddress_none(String address) {
    assertThat(SocketFiles.connectionFile(WireAddress.parse(address))).isNull();
  }

  @Test
  void ownLocalSocket_noFile_none() {
    assertThat(SocketFiles.ownLocalSocket(1)).isNull();
  }

  @Test
  void claim_noPrivateDirectory_ioException() {
    assertThatIOException()
        .isThrownBy(() -> SocketFiles.claim(null))
        .withMessageContaining("no private directory");
  }

  @Test
  void clearStale_aFileNoServerListensOn_removed(@TempDir Path dir) throws IOException {
    Path stale = Files.writeString(dir.resolve("stale.sock"), "left over");

    SocketFiles.clearStale(stale);

    assertThat(stale).doesNotExist();
  }
}
