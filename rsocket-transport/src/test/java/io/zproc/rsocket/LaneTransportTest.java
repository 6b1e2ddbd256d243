package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.rsocket.client.ClientSeams;
import io.zproc.rsocket.lane.LaneClient;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The lane as a transport: a {@code tcp://} server's same-host client whose every request comes
 * from a caller blocked on its reply, so that each takes one of the lane's own connections
 * (streams, which the lane does not carry, take the RSocket connection beside it). Subscribers that
 * do not block take the lane's shared connection in {@link UnixShortcutTransportTest}.
 */
class LaneTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false).withLane(true);

  private final WirePair pair =
      WirePair.start("tcp://127.0.0.1:0", WireTransportTest.serverOptions(), CLIENT)
          .viewedAs(BlockingCallers::new);

  @Override
  public WirePair pair() {
    return pair;
  }

  @Override
  public String expectedTransport() {
    return "unix";
  }

  @Override
  public WireClientOptions clientOptionsOfThisPath() {
    return CLIENT;
  }

  @Test
  void request_blockingCaller_servedByTheLane() {
    LaneClient lane = ClientSeams.lane(((BlockingCallers) pair.client).client);
    long before = lane.served();

    assertThat(pair.client.request(TestService.echo(3)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("i", 3));

    assertThat(lane.served()).isEqualTo(before + 1);
  }

  /** A client whose requests are each made by a thread that blocks until the reply. */
  private static final class BlockingCallers implements WireClient {
    final WireClient client;

    BlockingCallers(WireClient client) {
      this.client = client;
    }

    @Override
    public Mono<JsonNode> request(WireRequest request) {
      return Mono.fromCallable(() -> client.request(request).blockOptional())
          .subscribeOn(Schedulers.boundedElastic())
          .flatMap(Mono::justOrEmpty);
    }

    @Override
    public Flux<JsonNode> stream(WireRequest request) {
      return client.stream(request);
    }

    @Override
    public String transport() {
      return client.transport();
    }

    @Override
    public WireAddress address() {
      return client.address();
    }

    @Override
    public int serverMaxFrameSize() {
      return client.serverMaxFrameSize();
    }

    @Override
    public Mono<Void> onClose() {
      return client.onClose();
    }

    @Override
    public void dispose() {
      client.dispose();
    }

    @Override
    public boolean isDisposed() {
      return client.isDisposed();
    }
  }
}
