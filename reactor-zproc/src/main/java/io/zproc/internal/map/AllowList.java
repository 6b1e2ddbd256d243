package io.zproc.internal.map;

import io.zproc.internal.process.ChildPipe;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which classes Java deserialization may create where remote {@code processMap} bytes arrive: what
 * the library needs ({@link #LIBRARY}: {@code java.base} value types, a lambda's {@code
 * SerializedLambda}, the {@code io.zproc} types) and the patterns given ({@link
 * ObjectInputFilter.Config#createFilter} syntax: {@code com.acme.**}, {@code com.acme.*}, {@code
 * com.acme.Item}, {@code !com.acme.Bad}); every other class is refused, and the error names it and
 * the pattern that would let it in. Arrays are checked by their element type; arrays of primitives
 * pass. Object graphs deeper than {@value #MAX_DEPTH} are refused. Immutable and thread-safe.
 */
public final class AllowList {
  /** What the library needs, always allowed (after the patterns given, which may refuse first). */
  public static final String LIBRARY =
      "java.lang.*;java.lang.invoke.SerializedLambda;java.util.*;java.math.*;java.time.*;"
          + "java.net.URI;io.zproc.*";

  static final int MAX_DEPTH = 100;

  private final List<String> patterns;
  private final ObjectInputFilter filter;
  private final String fix;

  private AllowList(List<String> patterns, String fix) {
    this.patterns = List.copyOf(patterns);
    StringBuilder spec = new StringBuilder();
    for (String p : patterns) {
      spec.append(p).append(';');
    }
    spec.append(LIBRARY);
    this.filter = Objects.requireNonNull(ObjectInputFilter.Config.createFilter(spec.toString()));
    this.fix = fix;
  }

  /**
   * An allow-list of a worker: the error of a refused class says to add {@code --allow PATTERN}
   * ({@code WorkerOptions.allow(PATTERN)}).
   *
   * @throws IllegalArgumentException if a pattern is malformed
   */
  public static AllowList worker(List<String> patterns) {
    return new AllowList(
        check(patterns), "start the worker with --allow %1$s (WorkerOptions.allow(\"%1$s\"))");
  }

  /**
   * The allow-list of a context reading remote results: the library's classes and the task's own
   * package and its sub-packages.
   */
  static AllowList results(Class<?> taskClass) {
    List<String> patterns = new ArrayList<>();
    String pkg = taskClass.getPackageName();
    if (!pkg.isEmpty()) {
      patterns.add(pkg + ".**");
    }
    return new AllowList(
        patterns,
        "results of remote workers are read only for java.base value types and the classes of the"
            + " task's package ("
            + (pkg.isEmpty() ? "the unnamed package" : pkg + ".**")
            + "); return such values, or move %1$s there");
  }

  /** The patterns given (without the library's). */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * Deserializes {@code bytes}, refusing every class the list does not allow.
   *
   * @throws InvalidClassException naming a refused class and the pattern that allows it
   */
  public @Nullable Object deserialize(byte[] bytes, @Nullable ClassLoader loader)
      throws IOException, ClassNotFoundException {
    Check check = new Check();
    try {
      return ChildPipe.deserialize(bytes, loader, check);
    } catch (InvalidClassException e) {
      Class<?> refused = check.refused;
      if (refused == null) {
        throw e;
      }
      String name = refused.getName();
      String pkg = refused.getPackageName();
      String pattern = pkg.isEmpty() ? name : pkg + ".**";
      throw new InvalidClassException(
          name,
          "class "
              + name
              + " is not on the allow-list of classes that may be deserialized here; "
              + String.format(fix, pattern));
    }
  }

  private static List<String> check(List<String> patterns) {
    for (String p : patterns) {
      Objects.requireNonNull(p, "patterns must not contain null");
      if (p.isBlank() || p.contains(";") || p.contains("=")) {
        throw new IllegalArgumentException(
            "allow pattern '"
                + p
                + "' is not a class pattern: give one pattern per call, such as com.acme.** (a"
                + " package and its sub-packages), com.acme.* (a package) or com.acme.Item");
      }
      ObjectInputFilter.Config.createFilter(p); // throws IllegalArgumentException if malformed
    }
    return patterns;
  }

  /** The filter of one deserialization, which remembers the class it refused. */
  private final class Check implements ObjectInputFilter {
    @Nullable Class<?> refused;

    @Override
    public Status checkInput(FilterInfo info) {
      if (info.depth() > MAX_DEPTH) {
        return Status.REJECTED;
      }
      Class<?> c = info.serialClass();
      if (c == null) {
        return Status.UNDECIDED;
      }
      Class<?> element = c;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (element.isPrimitive()) {
        return Status.ALLOWED;
      }
      if (filter.checkInput(info) == Status.ALLOWED) {
        return Status.ALLOWED;
      }
      refused = element;
      return Status.REJECTED;
    }
  }

  @Override
  public String toString() {
    return "AllowList" + patterns;
  }
}
