package io.parley.chat.web;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the fields of a JSON request body strictly: a missing, mistyped or oversized field is a 400. */
public final class Fields {
  private Fields() {}

  /** A string of 1 to {@code max} characters. */
  public static String text(JsonNode body, String field, int max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw HttpError.badRequest(field + " is required");
    }
    if (!v.isTextual()) {
      throw HttpError.badRequest(field + " must be a string");
    }
    if (v.textValue().isEmpty() || v.textValue().length() > max) {
      throw HttpError.badRequest(field + " must be 1 to " + max + " characters");
    }
    return v.textValue();
  }

  /** A finite number. */
  public static double number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw HttpError.badRequest(field + " must be a number");
    }
    return v.doubleValue();
  }
}
