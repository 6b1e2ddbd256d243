package io.zproc.internal.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the class-data archive directory clean: a class list and a partial archive (about 25 MB)
 * exist only while this JVM dumps an archive. When the JVM exits meanwhile, a shutdown hook stops
 * the dump and deletes both; when it was killed, the next parent JVM to start a child deletes them
 * ({@link #sweepOnce}).
 */
final class ArchiveLeftovers {
  /** A dump's files older than this are left over even if a process of the same pid runs. */
  static final long STALE_MILLIS = TimeUnit.MINUTES.toMillis(10);

  /** How many archives the directory keeps (one per classpath and JDK): the newest ones. */
  static final int KEEP_ARCHIVES = 8;

  /** An archive younger than this is kept whatever its rank: another JVM may be mapping it. */
  static final long ARCHIVE_GRACE_MILLIS = TimeUnit.HOURS.toMillis(1);

  private static final String CLASS_LIST = ".classlist";
  private static final String PARTIAL = ".classlist.dumping";

  private static final Set<Dump> running = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean swept = new AtomicBoolean();

  static {
    Thread hook = new Thread(ArchiveLeftovers::stopAll, "zproc-cds-cleanup");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: nothing will start a dump
    }
  }

  private ArchiveLeftovers() {}

  /** A dump in progress: its process (once started) and its two files. */
  static final class Dump {
    final Path classList;
    final Path partial;
    volatile @Nullable Process process;

    private Dump(Path classList, Path partial) {
      this.classList = classList;
      this.partial = partial;
    }
  }

  /** Registers a dump about to start, until {@link #ended}. */
  static Dump started(Path classList, Path partial) {
    Dump dump = new Dump(classList, partial);
    running.add(dump);
    return dump;
  }

  /** The dump ended (its files are deleted or moved by then). */
  static void ended(Dump dump) {
    running.remove(dump);
  }

  private static void stopAll() {
    for (Dump dump : running) {
      Process p = dump.process;
      if (p != null) {
        p.destroyForcibly();
      }
      deleteQuietly(dump.classList);
      deleteQuietly(dump.partial);
    }
  }

  /**
   * Deletes the class lists and partial archives in {@code dir} that no running dump owns: those
   * whose JVM (the pid in the name) is gone, and any older than {@link #STALE_MILLIS}; and the
   * archives of other classpaths beyond the newest {@link #KEEP_ARCHIVES} that are over {@link
   * #ARCHIVE_GRACE_MILLIS} old, with their notes (a child of such a classpath lists its classes
   * again).
   *
   * @return how many files it deleted
   */
  static int sweep(Path dir, long nowMillis, LongPredicate alive) {
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsa.*.classlist*")) {
      for (Path file : files) {
        long pid = pidOf(file.getFileName().toString());
        if (pid < 0) {
          continue;
        }
        long age = nowMillis - Files.getLastModifiedTime(file).toMillis();
        if ((!alive.test(pid) || age > STALE_MILLIS) && Files.deleteIfExists(file)) {
          deleted++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // a cleanup only: the next JVM tries again
    }
    return deleted + sweepArchives(dir, nowMillis);
  }

  private static int sweepArchives(Path dir, long nowMillis) {
    record Archive(Path path, long modified) {}
    List<Archive> archives = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "child-*.jsa")) {
      for (Path file : files) {
        archives.add(new Archive(file, Files.getLastModifiedTime(file).toMillis()));
      }
      if (archives.size() <= KEEP_ARCHIVES) {
        return 0;
      }
      archives.sort(Comparator.comparingLong(Archive::modified).reversed());
      int deleted = 0;
      for (Archive archive : archives.subList(KEEP_ARCHIVES, archives.size())) {
        if (nowMillis - archive.modified() > ARCHIVE_GRACE_MILLIS) {
          String name = archive.path().getFileName().toString();
          Files.deleteIfExists(archive.path().resolveSibling(name + ".mapper"));
          Files.deleteIfExists(archive.path().resolveSibling(name + ".mapper-wanted"));
          if (Files.deleteIfExists(archive.path())) {
            deleted++;
          }
        }
      }
      return deleted;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Sweeps the directory of {@code archive} the first time this JVM builds a child's command (a
   * parent: a child never does), off the path of later starts.
   */
  static void sweepOnce(Path archive) {
    Path dir = archive.toAbsolutePath().getParent();
    if (dir != null && swept.compareAndSet(false, true)) {
      sweep(dir, System.currentTimeMillis(), ArchiveLeftovers::alive);
    }
  }

  /** Whether a process of this pid runs now. */
  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * The pid in a dump file's name ({@code child-<key>.jsa.<pid>.classlist[.dumping]}), or -1 if the
   * name is not one.
   */
  static long pidOf(String name) {
    String stem;
    if (name.endsWith(PARTIAL)) {
      stem = name.substring(0, name.length() - PARTIAL.length());
    } else if (name.endsWith(CLASS_LIST)) {
      stem = name.substring(0, name.length() - CLASS_LIST.length());
    } else {
      return -1;
    }
    int dot = stem.lastIndexOf('.');
    if (dot < 0 || !stem.substring(0, dot).endsWith(".jsa")) {
      return -1;
    }
    try {
      return Long.parseLong(stem.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // exiting anyway
    }
  }
}
