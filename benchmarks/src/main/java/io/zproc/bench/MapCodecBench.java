package io.zproc.bench;

import io.zproc.internal.map.MapBuffer;
import io.zproc.internal.map.MapCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The {@code processMap} batch codec alone: encoding and decoding one batch of {@code size} values
 * of a kind (ints, longs, short strings, small lists), against Java serialization of the same
 * {@code Object[]} (the codec before it). Run: {@code java -cp "$(cat
 * benchmarks/target/classpath.txt):benchmarks/target/classes" io.zproc.bench.MapCodecBench}. Scores
 * are batches per microsecond; items/s is that × size × 1e6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MapCodecBench {
  /** The batch's values. */
  @Param({"ints", "longs", "strings", "lists"})
  public String kind;

  /** Values per batch. */
  @Param({"1024"})
  public int size;

  private Object[] values;
  private final MapBuffer buffer = new MapBuffer();
  private byte[] encoded;
  private byte[] serialized;

  /** Makes the batch and its encoded forms. */
  @Setup
  public void setUp() throws IOException {
    values = new Object[size];
    for (int i = 0; i < size; i++) {
      values[i] =
          switch (kind) {
            case "ints" -> i;
            case "longs" -> (long) i * i;
            case "strings" -> "item-" + i;
            default -> new ArrayList<>(List.of(i, "x" + i, (double) i));
          };
    }
    buffer.clear();
    MapCodec.encode(buffer, values, size);
    encoded = buffer.toByteArray();
    serialized = serialize(values);
  }

  /** Encodes the batch with the codec. */
  @Benchmark
  public int codecEncode() throws IOException {
    buffer.clear();
    MapCodec.encode(buffer, values, size);
    return buffer.size();
  }

  /** Decodes the batch with the codec. */
  @Benchmark
  public Object[] codecDecode() throws Exception {
    return MapCodec.decode(encoded, 0, encoded.length, null);
  }

  /** Serializes the batch as one {@code Object[]}. */
  @Benchmark
  public int serialEncode() throws IOException {
    return serialize(values).length;
  }

  /** Deserializes the batch as one {@code Object[]}. */
  @Benchmark
  public Object serialDecode() throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
      return in.readObject();
    }
  }

  private static byte[] serialize(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** Runs this benchmark. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(MapCodecBench.class.getSimpleName()).build()).run();
  }
}
