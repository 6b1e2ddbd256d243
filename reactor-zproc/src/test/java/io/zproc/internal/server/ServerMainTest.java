package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMainTest {

  @Test
  void parse_addressAndKeyFile(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "  s3cret\n");
    Object[] parsed =
        ServerMain.parse(
            new String[] {"--address", "tcp://0.0.0.0:5000", "--secret-key-file", key.toString()});
    assertThat(parsed[0]).isEqualTo("tcp://0.0.0.0:5000");
    assertThat(((ServerOptions) parsed[1]).secretKey()).isEqualTo("s3cret");
  }

  @Test
  void parse_missingAddress_namesUsage() {
    assertThatThrownBy(() -> ServerMain.parse(new String[] {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--address is required")
        .hasMessageContaining("usage:");
  }

  @Test
  void parse_unknownOption_namesIt() {
    assertThatThrownBy(() -> ServerMain.parse(new String[] {"--port", "5"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port");
  }

  @Test
  void parse_emptyKeyFile_refused(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "\n");
    assertThatThrownBy(
            () ->
                ServerMain.parse(
                    new String[] {
                      "--address", "tcp://0.0.0.0:0", "--secret-key-file", key.toString()
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
