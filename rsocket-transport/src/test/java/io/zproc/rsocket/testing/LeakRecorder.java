package io.zproc.rsocket.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Records every leak Netty's {@link ResourceLeakDetector}s report in this JVM, so that a test run
 * can fail on them instead of only logging them.
 *
 * <p>{@link #install()} replaces Netty's {@link ResourceLeakDetectorFactory} with one whose
 * detectors record each report (and still log it). A detector is created once per resource type,
 * when its class initialises, so the factory must be installed before {@code AbstractByteBuf}
 * initialises: {@link LeakDetectionSessionListener} installs it when the JUnit launcher session
 * opens, before any test class is loaded. If something initialised {@code AbstractByteBuf} earlier,
 * {@code install()} falls back to attaching a {@link ResourceLeakDetector.LeakListener} to the
 * existing {@code ByteBuf} detector, found by reflection; {@link #mode()} says which one is in use.
 *
 * <p>Netty only looks for leaks when it tracks a new resource; {@link #triggerDetection()} runs the
 * garbage collector and then makes every detector look.
 *
 * <p><b>Threading:</b> thread-safe.
 */
public final class LeakRecorder {

  /** How leaks reach this recorder. */
  public enum Mode {
    /** Not installed yet. */
    NONE,
    /** Our factory made the {@code ByteBuf} detector: every detector records. */
    FACTORY,
    /**
     * {@code AbstractByteBuf} was initialised before {@link #install()}: a leak listener on its
     * detector records {@code ByteBuf} leaks; detectors made later still come from our factory.
     */
    LISTENER,
    /** The {@code ByteBuf} detector could not be reached; only later detectors record. */
    PARTIAL
  }

  /**
   * One reported leak.
   *
   * @param resourceType the leaked resource's type, such as {@code ByteBuf}
   * @param records the access records Netty kept (empty for an untraced leak)
   */
  public record Leak(String resourceType, String records) {
    @Override
    public String toString() {
      return "LEAK of " + resourceType + (records.isEmpty() ? " (untraced)" : ":" + records);
    }
  }

  private static final List<Leak> LEAKS = new CopyOnWriteArrayList<>();
  private static final List<RecordingDetector<?>> DETECTORS = new CopyOnWriteArrayList<>();
  private static volatile Mode mode = Mode.NONE;

  private LeakRecorder() {}

  /**
   * Installs the recording factory, once per JVM; later calls do nothing.
   *
   * @return how leaks are recorded
   */
  public static synchronized Mode install() {
    if (mode != Mode.NONE) {
      return mode;
    }
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    // Reading the field initialises AbstractByteBuf if nothing has yet, now with our factory.
    ResourceLeakDetector<?> byteBufDetector = byteBufDetector();
    if (byteBufDetector instanceof RecordingDetector) {
      mode = Mode.FACTORY;
    } else if (byteBufDetector != null) {
      byteBufDetector.setLeakListener(
          (resourceType, records) -> LEAKS.add(new Leak(resourceType, records)));
      mode = Mode.LISTENER;
    } else {
      mode = Mode.PARTIAL;
    }
    return mode;
  }

  /** How leaks are recorded; {@link Mode#NONE} before {@link #install()}. */
  public static Mode mode() {
    return mode;
  }

  /** Whether the {@code ByteBuf} detector reports to this recorder. */
  public static boolean recordsByteBufLeaks() {
    return mode == Mode.FACTORY || mode == Mode.LISTENER;
  }

  /**
   * Collects garbage a few times and makes every detector look for collected, unreleased resources,
   * by tracking and releasing a few buffers of each allocator. Blocks for up to about a hundred
   * milliseconds; call it from a test thread.
   */
  public static void triggerDetection() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      System.runFinalization();
      // Weak references are enqueued by the reference handler thread, shortly after the GC.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      allocateAndRelease();
      for (RecordingDetector<?> detector : DETECTORS) {
        detector.poll();
      }
    }
  }

  private static void allocateAndRelease() {
    List<ByteBufAllocator> allocators =
        List.of(
            PooledByteBufAllocator.DEFAULT,
            UnpooledByteBufAllocator.DEFAULT,
            ByteBufAllocator.DEFAULT);
    for (ByteBufAllocator allocator : allocators) {
      ByteBuf heap = allocator.heapBuffer(16);
      heap.release();
      ByteBuf direct = allocator.directBuffer(16);
      direct.release();
    }
  }

  /** The leaks recorded so far and not yet drained. */
  public static List<Leak> leaks() {
    return List.copyOf(LEAKS);
  }

  /** Removes and returns every recorded leak. */
  public static List<Leak> drain() {
    return drain(leak -> true);
  }

  /** Removes and returns the recorded leaks that match. */
  public static synchronized List<Leak> drain(Predicate<? super Leak> which) {
    Objects.requireNonNull(which, "which");
    List<Leak> taken = new ArrayList<>();
    for (Leak leak : LEAKS) {
      if (which.test(leak)) {
        taken.add(leak);
      }
    }
    LEAKS.removeAll(taken);
    return taken;
  }

  private static ResourceLeakDetector<?> byteBufDetector() {
    try {
      Class<?> abstractByteBuf =
          Class.forName(
              "io.netty.buffer.AbstractByteBuf", true, LeakRecorder.class.getClassLoader());
      Field field = abstractByteBuf.getDeclaredField("leakDetector");
      field.setAccessible(true);
      return (ResourceLeakDetector<?>) field.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return newResourceLeakDetector(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      RecordingDetector<T> detector = new RecordingDetector<>(resource, samplingInterval);
      DETECTORS.add(detector);
      return detector;
    }
  }

  /** A detector that records what it reports, and reports even when error logging is off. */
  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<?> resourceType, int samplingInterval) {
      super(resourceType, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add(new Leak(resourceType, records));
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add(new Leak(resourceType, ""));
      super.reportUntracedLeak(resourceType);
    }

    /** Makes this detector process its queue of collected resources now. */
    @SuppressWarnings("unchecked")
    void poll() {
      if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
        return;
      }
      Object probe = new Object();
      // Tracking forcibly reports pending leaks first; closing the probe's tracker ends it.
      ResourceLeakTracker<T> tracker = trackForcibly((T) probe);
      tracker.close((T) probe);
      Reference.reachabilityFence(probe);
    }
  }
}
