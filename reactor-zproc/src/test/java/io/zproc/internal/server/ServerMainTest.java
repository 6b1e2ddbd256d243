package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMainTest {

  @Test
  void parse_store_setsTheServersStore() throws Exception {
    ServerMain.Command parsed =
        ServerMain.parse(
            new String[] {
              "--address", "tcp://127.0.0.1:5000", "--store", "redis://10.0.0.7:6379/2"
            });
    assertThat(parsed.options().store()).isEqualTo("redis://10.0.0.7:6379/2");
    assertThat(
            ServerMain.parse(new String[] {"--address", "tcp://127.0.0.1:5000"}).options().store())
        .isEqualTo("memory");
  }

  @Test
  void parse_storeMalformed_isRefusedNamingTheFlag() {
    assertThatThrownBy(
            () ->
                ServerMain.parse(
                    new String[] {"--address", "tcp://127.0.0.1:5000", "--store", "mongo://x:1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--store: 'mongo://x:1' has an unknown scheme 'mongo'")
        .hasMessageContaining("usage:");
  }

  @Test
  void parse_addressAndKeyFile(@TempDir Path dir) throws Exception {
    Path key = secret(dir, "key", "  s3cret\n");
    ServerMain.Command parsed =
        ServerMain.parse(
            new String[] {
              "--address", "tcp://127.0.0.1:5000", "--secret-key-file", key.toString()
            });
    assertThat(parsed.address()).isEqualTo("tcp://127.0.0.1:5000");
    assertThat(parsed.options().secretKey()).isEqualTo("s3cret");
    assertThat(parsed.warning()).isNull();
  }

  @Test
  void parse_networkAddressWithoutKeyAndTls_refusedUnlessInsecure(@TempDir Path dir)
      throws Exception {
    Path key = secret(dir, "key", "s3cret");
    assertThatThrownBy(() -> ServerMain.parse(new String[] {"--address", "tcp://0.0.0.0:5000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a secret key and TLS")
        .hasMessageContaining("--insecure");
    assertThatThrownBy(
            () ->
                ServerMain.parse(
                    new String[] {
                      "--address", "tcp://0.0.0.0:5000", "--secret-key-file", key.toString()
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS");
    ServerMain.Command insecure =
        ServerMain.parse(
            new String[] {
              "--address", "tcp://0.0.0.0:5000", "--secret-key-file", key.toString(), "--insecure"
            });
    assertThat(insecure.warning()).contains("--insecure");
    Path password = secret(dir, "password", "changeit");
    ServerMain.Command tls =
        ServerMain.parse(
            new String[] {
              "--address", "tcp://0.0.0.0:5000",
              "--secret-key-file", key.toString(),
              "--tls-keystore", dir.resolve("server.p12").toString(),
              "--tls-password-file", password.toString()
            });
    assertThat(tls.options().tlsKeyStore()).isEqualTo(dir.resolve("server.p12"));
    assertThat(tls.warning()).isNull();
  }

  @Test
  void parse_loopbackWithoutKey_servesWithAWarning() throws Exception {
    ServerMain.Command parsed =
        ServerMain.parse(new String[] {"--address", "tcp://127.0.0.1:5000"});
    assertThat(parsed.warning()).contains("no secret key");
  }

  @Test
  void parse_keyFileOthersMayRead_refused(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "s3cret");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(
            () ->
                ServerMain.parse(
                    new String[] {
                      "--address", "tcp://127.0.0.1:0", "--secret-key-file", key.toString()
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chmod 600");
  }

  private static Path secret(Path dir, String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
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
    Path key = secret(dir, "key", "\n");
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
