package io.parley.chat.admin;

import io.parley.adminui.AdminAuth;
import io.parley.chat.auth.LoginThrottle;
import io.parley.chat.auth.Passwords;
import io.parley.chat.auth.UserRepository;
import io.parley.server.Handshake;

/**
 * Admin UI logins: an active account with role admin and its password, counted by the same
 * failed-login throttle as {@code /api/login} (per account and per client address).
 */
public final class AdminUiLogins implements AdminAuth {
  private final UserRepository users;
  private final Passwords passwords;
  private final LoginThrottle throttle;

  public AdminUiLogins(UserRepository users, Passwords passwords, LoginThrottle throttle) {
    this.users = users;
    this.passwords = passwords;
    this.throttle = throttle;
  }

  @Override
  public boolean check(String username, String password) {
    return check((Handshake) null, username, password);
  }

  @Override
  public boolean check(Handshake handshake, String username, String password) {
    if (username == null || password == null || username.length() > 200 || password.length() > 200) {
      return false;
    }
    String address = handshake == null || handshake.address() == null ? "" : handshake.address();
    if (throttle.retryAfterSeconds(username, address) > 0) {
      return false;
    }
    UserRepository.User user = users.byName(username).orElse(null);
    if (!passwords.matches(password, user == null ? null : user.passwordHash())) {
      throttle.failed(username, address);
      return false;
    }
    throttle.succeeded(username);
    return user.active() && "admin".equals(user.role());
  }
}
