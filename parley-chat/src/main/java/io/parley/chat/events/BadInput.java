package io.parley.chat.events;

/** A refused event: answered as {@code {success: false, error, code}} through the ack or an {@code error} event. */
public final class BadInput extends Exception {
  private final String code;

  public BadInput(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public static BadInput invalid(String message) {
    return new BadInput("INVALID_PAYLOAD", message);
  }

  public String code() {
    return code;
  }
}
