package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapReorderTest {
  private final MapReorder reorder = new MapReorder();

  private List<Object> drain() {
    List<Object> out = new ArrayList<>();
    for (Object v = reorder.poll(); v != null; v = reorder.poll()) {
      out.add(v);
    }
    return out;
  }

  @Test
  void poll_batchesOutOfOrder_leaveInSourceOrder() {
    reorder.put(3, new Object[] {"d", "e"});
    assertThat(reorder.poll()).isNull();
    assertThat(reorder.held()).isEqualTo(2);
    reorder.put(0, new Object[] {"a", "b", "c"});
    assertThat(drain()).containsExactly("a", "b", "c", "d", "e");
    assertThat(reorder.next()).isEqualTo(5);
    assertThat(reorder.held()).isZero();
  }

  @Test
  void poll_gapBeforeALaterBatch_waitsForTheGap() {
    reorder.put(0, new Object[] {"a"});
    reorder.put(2, new Object[] {"c"});
    assertThat(drain()).containsExactly("a");
    reorder.put(1, new Object[] {"b"});
    assertThat(drain()).containsExactly("b", "c");
  }

  @Test
  void put_sameBatchTwiceOrAlreadyEmitted_isIgnored() {
    reorder.put(0, new Object[] {"a", "b"});
    reorder.put(0, new Object[] {"x", "y"});
    assertThat(drain()).containsExactly("a", "b");
    reorder.put(0, new Object[] {"x", "y"}); // a re-run's late answer
    assertThat(reorder.poll()).isNull();
    assertThat(reorder.held()).isZero();
  }

  @Test
  void poll_failedBatchWithFewerResults_stopsAtItsEnd() {
    reorder.put(0, new Object[] {"a"}); // a batch of 3 that failed on its second item
    reorder.put(3, new Object[] {"d"});
    assertThat(drain()).containsExactly("a");
    assertThat(reorder.next()).isEqualTo(1);
  }

  @Test
  void poll_emptyBatchAtTheHead_givesNothing() {
    reorder.put(0, new Object[0]);
    assertThat(reorder.poll()).isNull();
    assertThat(reorder.next()).isZero();
  }

  @Test
  void clear_dropsWhatIsHeld() {
    reorder.put(1, new Object[] {"b"});
    reorder.clear();
    reorder.put(0, new Object[] {"a"});
    assertThat(drain()).containsExactly("a");
    assertThat(reorder.held()).isZero();
  }
}
