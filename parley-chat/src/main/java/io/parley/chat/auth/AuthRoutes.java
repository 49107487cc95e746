package io.parley.chat.auth;

import static io.parley.chat.web.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.auth.UserRepository.User;
import io.parley.chat.web.HttpError;
import io.parley.chat.web.Request;
import io.parley.chat.web.Response;
import io.parley.chat.web.Router;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code POST /api/register} and {@code POST /api/login}, the latter behind the failed-login throttle. */
public final class AuthRoutes {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

  private final UserRepository users;
  private final Passwords passwords;
  private final Tokens tokens;
  /** 5 failures per account, 20 per client address, in 15 minutes. */
  private final LoginThrottle loginThrottle = new LoginThrottle(5, 20, Duration.ofMinutes(15));

  public AuthRoutes(UserRepository users, Passwords passwords, Tokens tokens) {
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
  }

  public void mount(Router r) {
    r.post("/api/register", this::register);
    r.post("/api/login", this::login);
  }

  /** The failed-login counters of {@code /api/login}, shared with the admin UI's logins. */
  public LoginThrottle loginThrottle() {
    return loginThrottle;
  }

  private Response register(Request req) {
    JsonNode body = req.json();
    String username = text(body, "username", 32);
    String password = text(body, "password", 200);
    if (!USERNAME.matcher(username).matches()) {
      throw HttpError.badRequest("username must be 3 to 32 letters, digits, '_', '.' or '-'");
    }
    String problem = Passwords.problem(password);
    if (problem != null) {
      throw HttpError.badRequest(problem);
    }
    User user = users.create(username, passwords.hash(password), "user")
        .orElseThrow(() -> new HttpError(409, "USERNAME_TAKEN", "username already taken"));
    return Response.json(201, Map.of("userId", user.id(), "username", user.username()));
  }

  private Response login(Request req) {
    JsonNode body = req.json();
    String username = text(body, "username", 200);
    String password = text(body, "password", 200);
    long wait = loginThrottle.retryAfterSeconds(username, req.remoteAddress());
    if (wait > 0) {
      throw new HttpError(429, "TOO_MANY_ATTEMPTS", "too many failed logins; try again in " + wait + " s");
    }
    User user = users.byName(username).orElse(null);
    if (!passwords.matches(password, user == null ? null : user.passwordHash())) {
      loginThrottle.failed(username, req.remoteAddress());
      throw new HttpError(401, "INVALID_CREDENTIALS", "invalid username or password");
    }
    loginThrottle.succeeded(username);
    if (!user.active()) {
      throw new HttpError(403, "ACCOUNT_DISABLED", "account disabled");
    }
    Map<String, Object> u = Map.of("id", user.id(), "username", user.username(), "role", user.role());
    return Response.json(200, Map.of("token", tokens.issue(user.id(), user.username(), user.role()), "user", u));
  }
}
