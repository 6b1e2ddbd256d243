package io.zproc.rsocket.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Allows the brief internal locks of Netty 4.2's adaptive buffer allocator, which Netty's own
 * BlockHound integration does not yet list: growing or freeing a magazine takes a {@code
 * StampedLock} for a few instructions on the event loop. Everything else stays forbidden.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {
  @Override
  public void applyTo(BlockHound.Builder builder) {
    String magazineGroup = "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup";
    String magazine = "io.netty.buffer.AdaptivePoolingAllocator$Magazine";
    builder.allowBlockingCallsInside(magazineGroup, "tryExpandMagazines");
    builder.allowBlockingCallsInside(magazineGroup, "allocate");
    builder.allowBlockingCallsInside(magazine, "free");
    builder.allowBlockingCallsInside(magazine, "allocate");
  }
}
