package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.RemoteException;
import io.zproc.internal.process.ChildPipe;
import io.zproc.remote.Secret;
import java.io.InvalidClassException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a remote worker (and a context reading remote results) may deserialize. */
class AllowListTest {
  private static final ClassLoader LOADER = AllowListTest.class.getClassLoader();

  private static Object roundTrip(AllowList allow, Object value) throws Exception {
    return allow.deserialize(ChildPipe.serialize(value), LOADER);
  }

  @Test
  void libraryValues_pass_withoutPatterns() throws Exception {
    AllowList none = AllowList.worker(List.of());
    Map<String, Object> map = new HashMap<>(Map.of("k", List.of(1L, "s", 2.5)));
    assertThat(roundTrip(none, map)).isEqualTo(map);
    assertThat(roundTrip(none, new ArrayList<>(List.of(1, 2)))).isEqualTo(List.of(1, 2));
    assertThat((int[]) roundTrip(none, new int[] {1, 2})).containsExactly(1, 2);
    assertThat(roundTrip(none, RemoteException.of(new IllegalStateException("x"))))
        .isInstanceOf(RemoteException.class);
  }

  @Test
  void otherClass_refused_namingItAndThePatternToAdd() {
    AllowList none = AllowList.worker(List.of());
    assertThatThrownBy(() -> roundTrip(none, new Secret(1)))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("io.zproc.remote.Secret")
        .hasMessageContaining("--allow io.zproc.remote.**")
        .hasMessageContaining("WorkerOptions.allow(\"io.zproc.remote.**\")");
    assertThatThrownBy(() -> roundTrip(none, new Secret[] {new Secret(1)}))
        .hasMessageContaining("io.zproc.remote.Secret");
  }

  @Test
  void patterns_allowAndRefuse_inOrder() throws Exception {
    assertThat(roundTrip(AllowList.worker(List.of("io.zproc.remote.*")), new Secret(2)))
        .isEqualTo(new Secret(2));
    assertThat(roundTrip(AllowList.worker(List.of("io.zproc.**")), new Secret(3)))
        .isEqualTo(new Secret(3));
    assertThatThrownBy(
            () ->
                roundTrip(
                    AllowList.worker(List.of("!io.zproc.remote.Secret", "io.zproc.**")),
                    new Secret(4)))
        .isInstanceOf(InvalidClassException.class);
  }

  @Test
  void deepGraph_refused() {
    List<Object> deep = new ArrayList<>();
    List<Object> at = deep;
    for (int i = 0; i < 200; i++) {
      List<Object> next = new ArrayList<>();
      at.add(next);
      at = next;
    }
    assertThatThrownBy(() -> roundTrip(AllowList.worker(List.of()), deep))
        .isInstanceOf(InvalidClassException.class);
  }

  @Test
  void results_allowTheTasksPackage_only() throws Exception {
    AllowList results = AllowList.results(AllowListTest.class);
    assertThat(roundTrip(results, List.of(1))).isEqualTo(List.of(1));
    assertThatThrownBy(() -> roundTrip(results, new Secret(1)))
        .hasMessageContaining("results of remote workers are read only for")
        .hasMessageContaining("io.zproc.internal.map.**");
  }
}
