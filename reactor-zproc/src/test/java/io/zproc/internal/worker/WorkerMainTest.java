package io.zproc.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zproc worker}'s flags, as {@code ZProcWorker.main} parses them. */
class WorkerMainTest {
  @TempDir Path dir;

  private Path key(String perms) throws Exception {
    Path file = dir.resolve("key-" + perms);
    Files.writeString(file, "  sekrit\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    return file;
  }

  @Test
  void parse_allFlags() throws Exception {
    WorkerMain.Command c =
        WorkerMain.parse(
            new String[] {
              "--connect",
              "tcp://10.1.2.3:5000",
              "--secret-key-file",
              key("rw-------").toString(),
              "--tls",
              "--slots",
              "3",
              "--allow",
              "com.acme.**",
              "--allow",
              "org.example.Item"
            });
    assertThat(c.address()).isEqualTo("tcp://10.1.2.3:5000");
    assertThat(c.options().secretKey()).isEqualTo("sekrit");
    assertThat(c.options().tls()).isTrue();
    assertThat(c.options().slots()).isEqualTo(3);
    assertThat(c.options().allowed()).containsExactly("com.acme.**", "org.example.Item");
    assertThat(c.warning()).isNull();
  }

  @Test
  void parse_loopbackWithoutKey_warns() throws Exception {
    WorkerMain.Command c = WorkerMain.parse(new String[] {"--connect", "tcp://127.0.0.1:5000"});
    assertThat(c.options().secretKey()).isNull();
    assertThat(c.warning()).contains("connection file");
  }

  @Test
  void parse_networkWithoutTls_refused() throws Exception {
    String file = key("rw-------").toString();
    assertThatThrownBy(
            () ->
                WorkerMain.parse(
                    new String[] {"--connect", "tcp://10.1.2.3:5000", "--secret-key-file", file}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without TLS")
        .hasMessageContaining("--insecure");
  }

  @Test
  void parse_networkWithoutKey_refused() {
    assertThatThrownBy(
            () -> WorkerMain.parse(new String[] {"--connect", "tcp://10.1.2.3:5000", "--tls"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a secret key");
  }

  @Test
  void parse_networkInsecure_warns() throws Exception {
    WorkerMain.Command c =
        WorkerMain.parse(new String[] {"--connect", "tcp://10.1.2.3:5000", "--insecure"});
    assertThat(c.warning()).contains("--insecure");
  }

  @Test
  void parse_keyFileOthersCanRead_refused() throws Exception {
    String file = key("rw-r--r--").toString();
    assertThatThrownBy(
            () ->
                WorkerMain.parse(
                    new String[] {"--connect", "tcp://127.0.0.1:1", "--secret-key-file", file}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void parse_missingConnect_refused() {
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--slots", "2"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--connect is required");
  }

  @Test
  void parse_badSlots_refused() {
    assertThatThrownBy(
            () -> WorkerMain.parse(new String[] {"--connect", "tcp://127.0.0.1:1", "--slots", "x"}))
        .hasMessageContaining("--slots takes a whole number");
    assertThatThrownBy(
            () -> WorkerMain.parse(new String[] {"--connect", "tcp://127.0.0.1:1", "--slots", "0"}))
        .hasMessageContaining("slots must be between 1 and");
  }

  @Test
  void parse_badAllowPattern_refused() {
    assertThatThrownBy(
            () ->
                WorkerMain.parse(
                    new String[] {"--connect", "tcp://127.0.0.1:1", "--allow", "a.*;maxdepth=5"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a class pattern");
  }

  @Test
  void parse_unknownOptionAndMissingValue_refused() {
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--bogus", "1"}))
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> WorkerMain.parse(new String[] {"--connect"}))
        .hasMessageContaining("option --connect needs a value");
  }
}
