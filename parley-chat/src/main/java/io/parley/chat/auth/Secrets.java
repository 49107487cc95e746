package io.parley.chat.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Secret handling: the generated JWT secret kept in the data dir, and constant-time comparison. */
public final class Secrets {
  private Secrets() {}

  /** The secret stored in {@code file}, created (256 random bits, owner-only) when absent. */
  public static String loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!s.isEmpty()) {
        return s;
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return secret;
  }

  /** Compares in time independent of where the inputs differ. */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
