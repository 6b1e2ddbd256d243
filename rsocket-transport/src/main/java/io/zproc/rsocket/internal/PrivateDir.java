package io.zproc.rsocket.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current OS user's private directory for zproc's same-host files: a tcp server's unix socket,
 * lane and connection file (named by {@link SocketFiles}), and the children's class-data archive.
 * It is {@code $java.io.tmpdir/zproc-<uid>}, created with mode {@code rwx------}; it is used only
 * when it is a real directory (not a link), owned by this user, that no one else may enter. Another
 * local user can then neither plant a socket that a client would trust (and send its key to) nor an
 * archive a child would map: they cannot create files in it. When the directory cannot be made
 * safe, there is none: clients use tcp and children boot without the archive, and a warning says
 * why.
 */
public final class PrivateDir {
  private static final Logger log = LoggerFactory.getLogger(PrivateDir.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  /** Verified directories, by temporary directory (a test may change {@code java.io.tmpdir}). */
  private static final ConcurrentHashMap<String, Path> VERIFIED = new ConcurrentHashMap<>();

  private static final @Nullable Integer UID = currentUid();

  private PrivateDir() {}

  /**
   * The directory for the current {@code java.io.tmpdir}, made if needed, or null when it cannot be
   * made safe (or this OS has no uids). Touches the file system on first use per temporary
   * directory: call where blocking is allowed.
   */
  public static @Nullable Path get() {
    String tmp = System.getProperty("java.io.tmpdir");
    Path known = VERIFIED.get(tmp);
    if (known != null) {
      return known;
    }
    Integer uid = UID;
    if (uid == null) {
      return null;
    }
    Path dir = Path.of(tmp, "zproc-" + uid);
    try {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException e) {
        // made earlier, by this user or, if it is a trap, by another: checked below
      }
      String problem = problem(dir, uid);
      if (problem != null) {
        log.warn(
            "not using {} for same-host sockets and class-data archives: {}; clients use tcp",
            dir,
            problem);
        return null;
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      log.warn("no private directory {} for same-host sockets: {}", dir, e.toString());
      return null;
    }
    VERIFIED.put(tmp, dir);
    return dir;
  }

  /**
   * Whether a file in the private directory is this user's own and not a link: what a client checks
   * before it connects to a socket there or reads a key from it.
   */
  public static boolean ownedByMe(Path file) {
    Integer uid = UID;
    if (uid == null) {
      return false;
    }
    try {
      Object owner = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return uid.equals(owner) && !Files.isSymbolicLink(file);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** What is wrong with the directory, or null when it is safe. */
  static @Nullable String problem(Path dir, int uid) throws IOException {
    PosixFileAttributes attributes =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink() || !attributes.isDirectory()) {
      return "it is not a directory but a link or a file";
    }
    Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!Integer.valueOf(uid).equals(owner)) {
      return "it belongs to uid " + owner + ", not to this user (uid " + uid + ")";
    }
    if (!OWNER_ONLY.containsAll(attributes.permissions())) {
      // ours: tighten it (an older version made it with the umask's permissions)
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }
    return null;
  }

  /** This process's uid, or null where there is none. */
  public static @Nullable Integer uid() {
    return UID;
  }

  /** This process's uid (the owner of /proc/self), or null where there is none. */
  private static @Nullable Integer currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
