package io.zproc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ServerOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands in this JVM ({@link Zproc#run}) against one keyed server: what they print,
 * what they store, and how they fail.
 */
class CommandTest {
  private static final String KEY = "cli-test-key";
  private static ZProcServer server;
  private static ZProc peer;

  @TempDir static Path dir;
  private static Path keyFile;

  private String ns;

  @BeforeAll
  static void startServer() throws IOException {
    server = ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().secretKey(KEY));
    peer = ZProc.connect(server.address(), ZProcOptions.defaults().secretKey(KEY));
    keyFile = dir.resolve("key");
    Files.writeString(keyFile, KEY + "\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterAll
  static void stopServer() {
    peer.close();
    server.close();
  }

  @BeforeEach
  void freshNamespace(org.junit.jupiter.api.TestInfo info) {
    ns = "t-" + info.getTestMethod().orElseThrow().getName();
  }

  /** One run: exit code, stdout and stderr. */
  record Run(int code, String out, String err) {}

  private Run zproc(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Zproc.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private Run client(String command, String... rest) {
    String[] args = new String[rest.length + 6];
    args[0] = command;
    args[1] = "--address";
    args[2] = server.address();
    args[3] = "--secret-key-file";
    args[4] = keyFile.toString();
    args[5] = "--namespace=" + ns;
    System.arraycopy(rest, 0, args, 6, rest.length);
    return zproc(args);
  }

  @Test
  void put_readsJsonElseAString_stringForcesAString() {
    assertThat(client("put", "n", "5").code()).isZero();
    assertThat(client("put", "list", "[1, \"a\", null]").code()).isZero();
    assertThat(client("put", "obj", "{\"a\": {\"b\": true}}").code()).isZero();
    assertThat(client("put", "name", "Alice").code()).isZero();
    assertThat(client("put", "phrase", "5 apples").code()).isZero();
    assertThat(client("put", "quoted", "\"5\"").code()).isZero();
    assertThat(client("put", "--string", "forced", "5").code()).isZero();
    assertThat(client("put", "nothing", "null").code()).isZero();

    Map<String, Object> state = peer.state(ns).snapshot().block();
    assertThat(state)
        .containsEntry("n", 5)
        .containsEntry("list", java.util.Arrays.asList(1, "a", null))
        .containsEntry("obj", Map.of("a", Map.of("b", true)))
        .containsEntry("name", "Alice")
        .containsEntry("phrase", "5 apples")
        .containsEntry("quoted", "5")
        .containsEntry("forced", "5")
        .containsEntry("nothing", null);
  }

  @Test
  void get_printsTheNamespaceAValueOrSeveral_absentKeysExitWith1() {
    peer.state(ns).put("a", 1).block();
    peer.state(ns).put("b", Map.of("x", "y")).block();
    peer.state(ns).put("c", null).block();

    Run all = client("get");
    assertThat(all.code()).isZero();
    assertThat(all.out().strip()).isEqualTo("{\"a\":1,\"b\":{\"x\":\"y\"},\"c\":null}");

    assertThat(client("get", "b").out().strip()).isEqualTo("{\"x\":\"y\"}");
    Run nullValue = client("get", "c");
    assertThat(nullValue.code()).isZero();
    assertThat(nullValue.out().strip()).isEqualTo("null");

    Run some = client("get", "a", "nope", "c");
    assertThat(some.code()).isEqualTo(1);
    assertThat(some.out().strip()).isEqualTo("{\"a\":1,\"c\":null}");
    assertThat(some.err()).contains("no key nope in namespace " + ns + " at version 3");

    Run absent = client("get", "nope");
    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.out()).isEmpty();
  }

  @Test
  void watch_afterAVersion_printsEachChangeAsAJsonLine_filtersByKey_stopsAtCount() {
    peer.state(ns).put("a", 1).block();
    peer.state(ns).put("b", 2).block();
    peer.state(ns).put("a", 3).block();

    Run two = client("watch", "--after", "0", "--count", "2", "a");
    assertThat(two.code()).isZero();
    List<String> lines = two.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("{\"namespace\":\"" + ns + "\",\"version\":1,\"timestamp\":\"")
        .endsWith("\"keys\":[\"a\"],\"before\":{},\"after\":{\"a\":1}}");
    assertThat(lines.get(1))
        .contains("\"version\":3")
        .endsWith("\"keys\":[\"a\"],\"before\":{\"a\":1},\"after\":{\"a\":3}}");

    Run bad = client("watch", "--count", "0");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--count must be positive, got 0");
  }

  @Test
  void namespaces_listsThemSorted() {
    peer.state(ns + "-b").put("k", 1).block();
    peer.state(ns + "-a").put("k", 1).block();
    Run run = client("namespaces");
    assertThat(run.code()).isZero();
    // the command's own context makes its namespace as it starts
    assertThat(run.out().lines().filter(l -> l.startsWith(ns)).toList())
        .containsExactly(ns, ns + "-a", ns + "-b");
  }

  @Test
  void usageErrors_exitWith2_namingWhatIsMissing() {
    Run none = zproc();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err())
        .contains("name a command: server, worker, get, put, watch or namespaces");

    Run noAddress = zproc("get", "k");
    assertThat(noAddress.code()).isEqualTo(2);
    assertThat(noAddress.err()).contains("Missing required option: '--address=ADDRESS'");

    Run noValue = client("put", "k");
    assertThat(noValue.code()).isEqualTo(2);
    assertThat(noValue.err()).contains("Missing required parameter: 'VALUE'");

    Run unknown = zproc("frobnicate");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unmatched argument at index 0: 'frobnicate'");
  }

  @Test
  void keyProblems_exitWith1_sayingWhatToDo() throws IOException {
    Path readable = dir.resolve("readable-key");
    Files.writeString(readable, KEY);
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
    Run open =
        zproc("get", "--address", server.address(), "--secret-key-file", readable.toString());
    assertThat(open.code()).isEqualTo(1);
    assertThat(open.err()).contains("can be read by other users").contains("chmod 600");

    Path wrong = dir.resolve("wrong-key");
    Files.writeString(wrong, "not-the-key");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    Run refused =
        zproc("get", "--address", server.address(), "--secret-key-file", wrong.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("wrong secret key")
        .contains("--secret-key-file FILE")
        .contains("(UNAUTHORIZED)");

    Run unreachable = zproc("get", "--address", "tcp://127.0.0.1:1", "--timeout", "2");
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).startsWith("zproc get: ").contains("(CONNECTION_CLOSED)");

    Run malformed = zproc("get", "--address", "nowhere");
    assertThat(malformed.code()).isEqualTo(1);
    assertThat(malformed.err()).contains("tcp://host:port");
  }
}
