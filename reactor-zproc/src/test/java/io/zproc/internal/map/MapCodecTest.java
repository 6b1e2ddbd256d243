package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.Test;

class MapCodecTest {
  /** A value that is not plain: its batch goes by Java serialization. */
  record Point(int x, String label) implements Serializable {}

  private MapBuffer buffer = new MapBuffer();

  @BeforeTry
  void freshBuffer() {
    buffer = new MapBuffer();
  }

  @Property(tries = 300)
  void roundTrip_plainValues_equalAndOfTheSameClasses(@ForAll("plainBatches") List<Object> batch)
      throws Exception {
    Object[] values = batch.toArray();
    Object[] back = roundTrip(values);
    assertSame(values, back);
    assertThat(buffer.array()[0]).isNotEqualTo(MapCodec.SERIAL);
  }

  @Property(tries = 200)
  void roundTrip_withAnObjectThatIsNotPlain_serializedWhole(
      @ForAll("plainBatches") List<Object> batch, @ForAll int x) throws Exception {
    List<Object> mixed = new ArrayList<>(batch);
    mixed.add(mixed.size() / 2, new Point(x, "p" + x));
    Object[] values = mixed.toArray();
    Object[] back = roundTrip(values);
    assertSame(values, back);
    assertThat(buffer.array()[0]).isEqualTo(MapCodec.SERIAL);
  }

  @Property(tries = 100)
  void roundTrip_homogeneousNumbers_packed(@ForAll List<Long> longs, @ForAll List<Double> doubles)
      throws Exception {
    for (Object[] values : new Object[][] {longs.toArray(), doubles.toArray()}) {
      buffer.clear();
      Object[] back = roundTrip(values);
      assertSame(values, back);
      if (values.length > 0) {
        assertThat(buffer.array()[0]).isIn(MapCodec.LONGS, MapCodec.DOUBLES);
        assertThat(buffer.size()).isEqualTo(5 + 8 * values.length);
      }
    }
  }

  @Property(tries = 200)
  void decode_truncated_isAnIoException(@ForAll("plainBatches") List<Object> batch)
      throws Exception {
    MapCodec.encode(buffer, batch.toArray(), batch.size());
    byte[] bytes = buffer.toByteArray();
    for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 16)) {
      int n = cut;
      assertThatThrownBy(() -> MapCodec.decode(bytes, 0, n, null)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void encode_notSerializable_throwsAndLeavesTheBufferAsItWas() throws Exception {
    buffer.putInt(42);
    Object[] values = {1, new Object(), "x"};
    assertThatThrownBy(() -> MapCodec.encode(buffer, values, values.length))
        .isInstanceOf(NotSerializableException.class);
    assertThat(buffer.size()).isEqualTo(4);
  }

  @Test
  void encode_listHoldingItself_goesBySerialization() throws Exception {
    List<Object> self = new ArrayList<>();
    self.add(1);
    self.add(self);
    MapCodec.encode(buffer, new Object[] {self}, 1);
    assertThat(buffer.array()[0]).isEqualTo(MapCodec.SERIAL);
    Object[] back = MapCodec.decode(buffer.array(), 0, buffer.size(), null);
    List<?> list = (List<?>) back[0];
    assertThat(list.get(1)).isSameAs(list);
  }

  @Test
  void encode_firstValuesOnly() throws Exception {
    Object[] back = roundTrip(new Object[] {1, 2, 3}, 2);
    assertThat(back).containsExactly(1, 2);
  }

  @Test
  void decode_unknownKind_isAnIoException() {
    byte[] bytes = {99, 0, 0, 0, 0};
    assertThatThrownBy(() -> MapCodec.decode(bytes, 0, bytes.length, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("kind");
  }

  private Object[] roundTrip(Object[] values) throws Exception {
    return roundTrip(values, values.length);
  }

  private Object[] roundTrip(Object[] values, int n) throws Exception {
    MapCodec.encode(buffer, values, n);
    return MapCodec.decode(buffer.array(), 0, buffer.size(), getClass().getClassLoader());
  }

  /** Equal element by element, arrays by content, and of the same classes, nested. */
  private static void assertSame(Object[] expected, Object[] actual) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertSameValue(expected[i], actual[i]);
    }
  }

  private static void assertSameValue(Object expected, Object actual) {
    if (expected == null) {
      assertThat(actual).isNull();
      return;
    }
    assertThat(actual).isNotNull();
    assertThat(actual.getClass()).isEqualTo(expected.getClass());
    if (expected instanceof List<?> e) {
      List<?> a = (List<?>) actual;
      assertThat(a).hasSameSizeAs(e);
      for (int i = 0; i < e.size(); i++) {
        assertSameValue(e.get(i), a.get(i));
      }
    } else if (expected instanceof Double d) {
      assertThat(Double.doubleToRawLongBits((Double) actual))
          .isEqualTo(Double.doubleToRawLongBits(d));
    } else if (expected.getClass().isArray()) {
      assertThat(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual})).isTrue();
    } else {
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Provide
  Arbitrary<List<Object>> plainBatches() {
    return plain(3).list().ofMaxSize(40);
  }

  private static Arbitrary<Object> plain(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.integers().map(x -> (Object) x),
            Arbitraries.longs().map(x -> (Object) x),
            Arbitraries.doubles().map(x -> (Object) x),
            Arbitraries.of(Double.NaN, -0.0, Double.POSITIVE_INFINITY).map(x -> (Object) x),
            Arbitraries.strings().ofMaxLength(30).map(x -> (Object) x),
            Arbitraries.strings().all().ofMaxLength(8).map(x -> (Object) x),
            Arbitraries.of(true, false).map(x -> (Object) x),
            Arbitraries.just(null),
            Arbitraries.integers().array(int[].class).ofMaxSize(5).map(x -> (Object) x),
            Arbitraries.longs().array(long[].class).ofMaxSize(5).map(x -> (Object) x),
            Arbitraries.doubles().array(double[].class).ofMaxSize(5).map(x -> (Object) x),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(5).map(x -> (Object) x),
            Arbitraries.strings()
                .ofMaxLength(5)
                .injectNull(0.2)
                .array(String[].class)
                .ofMaxSize(4)
                .map(x -> (Object) x));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> inner = plain(depth - 1);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaf),
        net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l))),
        net.jqwik.api.Tuple.of(
            1, inner.filter(x -> x != null).list().ofMaxSize(4).map(l -> (Object) List.copyOf(l))));
  }
}
