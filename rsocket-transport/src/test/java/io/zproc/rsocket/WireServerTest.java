package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.zproc.rsocket.connect.Wire;
import io.zproc.rsocket.internal.DirectRegistry;
import io.zproc.rsocket.internal.SocketFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class WireServerTest {
  private final List<WireServer> servers = new ArrayList<>();

  @AfterEach
  void disposeServers() {
    servers.forEach(WirePair::dispose);
  }

  private WireServer bind(String address, WireServerOptions options) {
    WireServer server = Wire.bind(address, options, new TestService()).block(TIMEOUT);
    servers.add(server);
    return server;
  }

  private static WireClientOptions socketOnly() {
    return WireClientOptions.defaults().withDirect(false).withLocalSocket(false);
  }

  @Test
  void bind_tcpPortZero_addressHasTheBoundPort() {
    WireServer server = bind("tcp://127.0.0.1:0", WireServerOptions.defaults());

    assertThat(server.address().scheme()).isEqualTo("tcp");
    assertThat(server.address().host()).isEqualTo("127.0.0.1");
    assertThat(server.address().port()).isPositive();
    assertThat(DirectRegistry.find(server.address()))
        .isSameAs(((io.zproc.rsocket.server.BoundServer) server).assembly().direct());
    assertThat(server).hasToString("WireServer[" + server.address() + "]");
  }

  @Test
  void bind_wsPortZero_addressHasTheBoundPortAndPath() {
    WireServer server = bind("ws://127.0.0.1:0/state", WireServerOptions.defaults());

    assertThat(server.address().port()).isPositive();
    assertThat(server.address().path()).isEqualTo("/state");
  }

  @Test
  void bind_tcp_ownerOnlyLocalSocketBesideThePort() throws IOException {
    WireServer server = bind("tcp://127.0.0.1:0", WireServerOptions.defaults());

    Path socket = server.localSocket();
    assertThat(socket).isEqualTo(SocketFiles.localSocket(server.address().port()));
    assertThat(Files.getPosixFilePermissions(socket))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void bind_tcpWithoutLocalSocket_noSocketFile() {
    WireServer server =
        bind("tcp://127.0.0.1:0", WireServerOptions.defaults().withLocalSocket(false));

    assertThat(server.localSocket()).isNull();
    assertThat(SocketFiles.localSocket(server.address().port())).doesNotExist();
  }

  @Test
  void dispose_tcp_removesSocketUnregistersAndRefusesClients() {
    WireServer server =
        Wire.bind("tcp://127.0.0.1:0", WireServerOptions.defaults(), new TestService())
            .block(TIMEOUT);
    Path socket = server.localSocket();

    server.dispose();
    server.onClose().as(StepVerifier::create).expectComplete().verify(TIMEOUT);

    assertThat(server.isDisposed()).isTrue();
    assertThat(socket).doesNotExist();
    assertThat(DirectRegistry.find(server.address())).isNull();
    Wire.connect(server.address().toString(), WireClientOptions.defaults())
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(((WireException) error).code())
                    .isEqualTo(WireException.CONNECTION_CLOSED))
        .verify(TIMEOUT);
  }

  @Test
  void dispose_twice_closesOnce() {
    WireServer server =
        Wire.bind(WirePair.localAddress(), WireServerOptions.defaults(), new TestService())
            .block(TIMEOUT);

    server.dispose();
    server.dispose();

    server.onClose().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    assertThat(server.isDisposed()).isTrue();
  }

  @Test
  void bind_notSubscribed_bindsNothing() {
    String address = WirePair.unixAddress();

    Mono<WireServer> bind = Wire.bind(address, WireServerOptions.defaults(), new TestService());

    assertThat(bind).isNotNull();
    assertThat(Path.of(WireAddress.parse(address).path())).doesNotExist();
  }

  @Test
  void bind_malformedAddress_illegalArgumentAtOnce() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> Wire.bind("tcp://nowhere", WireServerOptions.defaults(), new TestService()))
        .withMessageContaining(WireAddress.ACCEPTED_FORMS);
  }

  @Test
  void bind_tcpPortTaken_connectionClosedSayingCannotBind() {
    WireServer first = bind("tcp://127.0.0.1:0", WireServerOptions.defaults());

    Wire.bind(first.address().toString(), WireServerOptions.defaults(), new TestService())
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error -> {
              assertThat(error)
                  .isInstanceOf(WireException.class)
                  .hasMessageContaining("cannot bind");
              assertThat(((WireException) error).code()).isEqualTo(WireException.CONNECTION_CLOSED);
            })
        .verify(TIMEOUT);
    assertThat(first.localSocket()).exists();
    assertThat(DirectRegistry.find(first.address()))
        .isSameAs(((io.zproc.rsocket.server.BoundServer) first).assembly().direct());
  }

  @Test
  void bind_unixPathWithLiveServer_errorSayingSo() {
    WireServer first = bind(WirePair.unixAddress(), WireServerOptions.defaults());

    Wire.bind(first.address().toString(), WireServerOptions.defaults(), new TestService())
        .as(StepVerifier::create)
        .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("already listening"))
        .verify(TIMEOUT);
    WireClient client = Wire.connect(first.address().toString(), socketOnly()).block(TIMEOUT);
    client.dispose();
  }

  @Test
  void bind_unixPathWithStaleFile_replacesIt() throws IOException {
    String address = WirePair.unixAddress();
    Path path = Path.of(WireAddress.parse(address).path());
    Files.writeString(path, "left over");

    WireServer server = bind(address, WireServerOptions.defaults());

    WireClient client = Wire.connect(server.address().toString(), socketOnly()).block(TIMEOUT);
    assertThat(client.transport()).isEqualTo("unix");
    client.dispose();
  }

  @Test
  void dispose_unix_removesTheSocketFile() {
    WireServer server =
        Wire.bind(WirePair.unixAddress(), WireServerOptions.defaults(), new TestService())
            .block(TIMEOUT);
    Path path = Path.of(server.address().path());
    assertThat(path).exists();

    WirePair.dispose(server);

    assertThat(path).doesNotExist();
  }

  @Test
  void bind_localNameTaken_error() {
    WireServer first = bind(WirePair.localAddress(), WireServerOptions.defaults());

    Wire.bind(first.address().toString(), WireServerOptions.defaults(), new TestService())
        .as(StepVerifier::create)
        .expectError()
        .verify(TIMEOUT);
  }

  @Test
  void options_asBound_sameOptions() {
    WireServerOptions options = WireServerOptions.defaults().withMaxFrameSize(4096);

    assertThat(bind(WirePair.localAddress(), options).options()).isEqualTo(options);
  }
}
