package io.parley.adminui;

import io.parley.server.Handshake;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * How the admin namespace checks the {@code username} and {@code password} the UI sends in the
 * handshake {@code auth}. It runs in a connection middleware, on the socket's virtual thread, so it
 * may block (bcrypt, a database). There is no default: {@link AdminUiOptions} needs one of these,
 * {@link #none()} included, as the reference needs {@code auth} set or explicitly {@code false}.
 *
 * <pre>{@code
 * AdminAuth basic = AdminAuth.basic("admin", "$2b$10$heqvAkYMez.Va6Et2uXInOnkCT6/uQj1brkrbyG3LpopDklcq7ZOS");   // "changeit"
 * AdminAuth custom = (username, password) -> accounts.verify(username, password);   // may block
 * }</pre>
 */
@FunctionalInterface
public interface AdminAuth {
  /** bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}), as the reference accepts. */
  Pattern BCRYPT = Pattern.compile("^\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}$");

  /**
   * Whether these credentials may use the admin UI. {@code username} and {@code password} may be null.
   *
   * @param username the {@code auth.username} the UI sent, or null
   * @param password the {@code auth.password} the UI sent, or null
   * @return true to admit the UI
   * @throws Exception counts as a refusal (logged)
   */
  boolean check(String username, String password) throws Exception;

  /**
   * As {@link #check(String, String)}, with the handshake (client address, headers) for checks
   * that need it, such as throttling failed logins per address. This is the method called.
   *
   * @param handshake the connecting socket's handshake
   * @param username the {@code auth.username} the UI sent, or null
   * @param password the {@code auth.password} the UI sent, or null
   * @return true to admit the UI
   * @throws Exception counts as a refusal (logged)
   */
  default boolean check(Handshake handshake, String username, String password) throws Exception {
    return check(username, password);
  }

  /**
   * No authentication: anyone who can reach the namespace is admitted (no middleware is installed, no
   * session is handed out). Use with care.
   *
   * @return the marker
   */
  static AdminAuth none() {
    return None.INSTANCE;
  }

  /**
   * One account whose password is a bcrypt hash (as the reference's {@code type: "basic"});
   * throws {@link IllegalArgumentException} when {@code bcryptHash} is not one. Passwords over 72
   * bytes are refused (bcrypt would ignore the rest).
   *
   * @param username the account name
   * @param bcryptHash the password's bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$})
   * @return the check
   */
  static AdminAuth basic(String username, String bcryptHash) {
    Objects.requireNonNull(username, "username");
    if (bcryptHash == null || !BCRYPT.matcher(bcryptHash).matches()) {
      throw new IllegalArgumentException("the password must be a valid bcrypt hash");
    }
    return (u, p) -> {
      if (u == null || p == null || p.getBytes(StandardCharsets.UTF_8).length > 72) {
        return false;
      }
      // the hash is always checked, so that a wrong username takes as long as a wrong password
      boolean ok = BCrypt.checkpw(p, bcryptHash);
      return ok && username.equals(u);
    };
  }

  /**
   * One account with a password in plain text (compared in constant time).
   *
   * @param username the account name
   * @param password the password
   * @return the check
   */
  static AdminAuth plain(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    byte[] expected = password.getBytes(StandardCharsets.UTF_8);
    return (u, p) -> {
      boolean ok = p != null && MessageDigest.isEqual(expected, p.getBytes(StandardCharsets.UTF_8));
      return ok && username.equals(u);
    };
  }

  /**
   * The marker of {@link #none()} (public only because interface members are); use
   * {@link AdminAuth#none()}.
   */
  enum None implements AdminAuth {
    /** The only instance. */
    INSTANCE;

    @Override
    public boolean check(String username, String password) {
      return true;
    }
  }
}
