package io.parley.chat.web;

/** Ends a request with this status and the body {@code {"error": message, "code": code}}. */
public final class HttpError extends RuntimeException {
  private final int status;
  private final String code;

  public HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, "BAD_REQUEST", message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, "NOT_FOUND", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
