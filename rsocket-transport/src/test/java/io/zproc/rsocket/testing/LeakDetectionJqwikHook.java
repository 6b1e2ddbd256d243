package io.zproc.rsocket.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * The jqwik twin of {@link LeakDetectionExtension}: after each jqwik test class, fails it if Netty
 * reported a leak. Registered globally in {@code
 * META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class LeakDetectionJqwikHook implements AfterContainerHook {

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public boolean appliesTo(Optional<AnnotatedElement> element) {
    return element.map(e -> e instanceof Class).orElse(false);
  }

  @Override
  public void afterContainer(ContainerLifecycleContext context) {
    if (!LeakDetectionExtension.NETTY_PRESENT) {
      return;
    }
    LeakRecorder.install();
    LeakRecorder.triggerDetection();
    List<LeakRecorder.Leak> leaks = LeakRecorder.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(LeakDetectionExtension.describe(context.label(), leaks));
    }
  }
}
