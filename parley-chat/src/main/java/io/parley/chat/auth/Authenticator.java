package io.parley.chat.auth;

import io.parley.chat.auth.UserRepository.User;
import io.parley.chat.web.HttpError;
import io.parley.chat.web.Request;
import io.parley.server.ConnectError;
import io.parley.server.Handshake;
import io.parley.server.Middleware;
import io.parley.server.Socket;
import java.util.Map;

/**
 * Turns a bearer token into an active user, for HTTP requests and Socket.IO handshakes alike. The
 * refusal codes: {@code AUTH_REQUIRED} (no token), {@code TOKEN_INVALID}, {@code TOKEN_EXPIRED},
 * {@code ACCOUNT_DISABLED} (the user is unknown or inactive). Blocks on the database.
 */
public final class Authenticator {
  /** Keys of {@code socket.data()} set for an authenticated socket. */
  public static final String USER_ID = "userId";
  public static final String USERNAME = "username";
  public static final String ROLE = "role";

  /** The authenticated caller; the role is the database's, not the token's. */
  public record Principal(long id, String username, String role) {
    public boolean isAdmin() {
      return "admin".equals(role);
    }
  }

  /** A refusal, with its code and a readable message. */
  public static final class AuthException extends Exception {
    private final String code;

    public AuthException(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Tokens tokens;
  private final UserRepository users;

  public Authenticator(Tokens tokens, UserRepository users) {
    this.tokens = tokens;
    this.users = users;
  }

  public Principal authenticate(String token) throws AuthException {
    if (token == null || token.isBlank()) {
      throw new AuthException("AUTH_REQUIRED", "authentication token required");
    }
    Tokens.Claims claims;
    try {
      claims = tokens.verify(token.strip());
    } catch (Tokens.TokenException e) {
      throw new AuthException(e.code(), e.getMessage());
    }
    User user = users.byId(claims.userId()).orElse(null);
    if (user == null || !user.active()) {
      throw new AuthException("ACCOUNT_DISABLED", "account disabled or unknown");
    }
    return new Principal(user.id(), user.username(), user.role());
  }

  /** The caller of an HTTP request ({@code Authorization: Bearer <token>}); a 401 with the refusal's code otherwise. */
  public Principal caller(Request req) {
    try {
      return authenticate(bearer(req.header("authorization")));
    } catch (AuthException e) {
      throw new HttpError(401, e.code(), e.getMessage());
    }
  }

  /** The token of an {@code Authorization: Bearer} header value, or null. */
  public static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.strip();
    return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).strip() : null;
  }

  /** The handshake's token: {@code auth.token}, else the Authorization header, else {@code ?token=}. */
  public static String token(Handshake h) {
    var t = h.auth() == null ? null : h.auth().get("token");
    if (t != null && t.isTextual() && !t.textValue().isBlank()) {
      return t.textValue();
    }
    String header = bearer(h.headers().get("authorization"));
    if (header != null && !header.isBlank()) {
      return header;
    }
    return h.query().get("token");
  }

  /** Socket.IO connection middleware: refuses with CONNECT_ERROR {@code {message, data: {code}}}. */
  public Middleware middleware(boolean adminOnly) {
    return (Socket socket) -> {
      Principal p;
      try {
        p = authenticate(token(socket.handshake()));
      } catch (AuthException e) {
        throw new ConnectError(e.getMessage(), Map.of("code", e.code()));
      }
      if (adminOnly && !p.isAdmin()) {
        throw new ConnectError("admin role required", Map.of("code", "FORBIDDEN"));
      }
      socket.data().put(USER_ID, p.id());
      socket.data().put(USERNAME, p.username());
      socket.data().put(ROLE, p.role());
    };
  }

  public static Principal principal(Socket socket) {
    return new Principal((Long) socket.data().get(USER_ID), (String) socket.data().get(USERNAME),
        (String) socket.data().get(ROLE));
  }
}
