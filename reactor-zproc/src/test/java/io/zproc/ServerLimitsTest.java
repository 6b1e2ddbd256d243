package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.server.ServerProbe;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.Setup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.tcp.TcpClient;
import reactor.test.StepVerifier;

/**
 * What one connection may cost a server ({@link ServerOptions}): a watcher that asks for every
 * change and never reads is cut off while the others keep up; watches and connections past their
 * limits are refused with errors that name the option.
 */
class ServerLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "limits";
  private static final ZProcOptions OVER_TCP =
      ZProcOptions.defaults().directPath(false).localSocket(false).spareProcesses(0);

  @Test
  void watcherThatNeverReads_cutOff_othersGetEveryChange() {
    int changes = 20_000;
    String value = "v".repeat(2048);
    ServerOptions options =
        ServerOptions.defaults()
            .localSocket(false)
            .maxPendingBytesPerConnection(1 << 20)
            // the writer outruns the watcher: keep every change for it
            .journalSize(changes)
            .journalBytes(512L << 20);
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0", options);
        ZProc watcher = ZProc.connect(server.address(), OVER_TCP);
        ZProc writer = ZProc.connect(server.address(), ZProcOptions.defaults().spareProcesses(0))) {
      AtomicLong seen = new AtomicLong();
      AtomicLong lastVersion = new AtomicLong();
      Disposable normal =
          watcher
              .state(NS)
              .changes()
              .subscribe(
                  c -> {
                    seen.incrementAndGet();
                    lastVersion.set(c.version());
                  });
      AtomicReference<Channel> channel = new AtomicReference<>();
      RSocket slow = rawClient(server.address(), channel);
      Disposable slowStream = null;
      try {
        await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, NS) == 1);
        WireRequest watch = WireRequest.of(Op.WATCH.wireName());
        watch.args().put(Fields.NS, NS).put(Fields.WITH_SNAPSHOT, true);
        slowStream =
            slow.requestStream(DefaultPayload.create(CborCodec.encodeRequest(watch)))
                .subscribe(p -> p.release(), e -> {});
        await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, NS) == 2);
        // from now on it reads nothing: the server's socket fills up and stays full
        channel.get().config().setAutoRead(false);

        for (int i = 1; i <= changes; i++) {
          writer.state(NS).put("k", value + i).block(WAIT);
        }

        // the slow watch is gone with its connection; the normal one saw every change
        await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, NS) == 1);
        await().atMost(WAIT).until(() -> seen.get() == changes);
        assertThat(lastVersion.get()).isEqualTo(changes);
      } finally {
        if (slowStream != null) {
          slowStream.dispose();
        }
        slow.dispose();
        normal.dispose();
      }
    }
  }

  @Test
  void watchesPastTheLimit_refusedNamingIt_freedByCancel() {
    ServerOptions options = ServerOptions.defaults().localSocket(false).maxWatchesPerConnection(3);
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0", options);
        ZProc client = ZProc.connect(server.address(), OVER_TCP)) {
      List<Disposable> open = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        open.add(client.state(NS).changes().subscribe());
      }
      await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, NS) == 3);

      client
          .state(NS)
          .changes()
          .as(StepVerifier::create)
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(ZProcException.class)
                      .hasMessageContaining("maxWatchesPerConnection")
                      .satisfies(
                          z ->
                              assertThat(((ZProcException) z).code())
                                  .isEqualTo(ErrorCode.LIMIT_EXCEEDED)))
          .verify(WAIT);

      open.remove(0).dispose();
      await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, NS) == 2);
      open.add(client.state(NS).changes().subscribe());
      await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, NS) == 3);
      open.forEach(Disposable::dispose);
    }
  }

  @Test
  void connectionPastTheLimit_refusedNamingIt() {
    ServerOptions options = ServerOptions.defaults().localSocket(false).maxConnections(1);
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0", options);
        ZProc first = ZProc.connect(server.address(), OVER_TCP)) {
      first.state().put("a", 1).block(WAIT);
      try {
        ZProc second = ZProc.connect(server.address(), OVER_TCP);
        second.close();
        throw new AssertionError("a second connection was accepted past maxConnections=1");
      } catch (ZProcException e) {
        assertThat(e).hasMessageContaining("maxConnections");
      }
      assertThat(first.state().get("a").block(WAIT)).isEqualTo(1);
    }
  }

  private static RSocket rawClient(String address, AtomicReference<Channel> channel) {
    WireAddress parsed = WireAddress.parse(address);
    return RSocketConnector.create()
        .setupPayload(DefaultPayload.create(new Setup(null, "slow reader", -1).encode()))
        .connect(
            TcpClientTransport.create(
                TcpClient.create()
                    .host(parsed.host())
                    .port(parsed.port())
                    .doOnChannelInit((observer, ch, remote) -> channel.set(ch))))
        .block(WAIT);
  }
}
