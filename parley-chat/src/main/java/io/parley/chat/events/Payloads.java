package io.parley.chat.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.server.Args;

/** Reads event payloads strictly: a wrong type, a missing field or an oversized value is a {@link BadInput}. */
public final class Payloads {
  public static final int MAX_ID = 64;

  private Payloads() {}

  /** The first argument, which must be a JSON object. */
  public static JsonNode object(Args args) throws BadInput {
    JsonNode n = args.get(0);
    if (n == null || !n.isObject()) {
      throw BadInput.invalid("payload must be an object");
    }
    return n;
  }

  /** A room id given either as the first argument itself (a string) or as its {@code roomId} field. */
  public static String roomId(Args args) throws BadInput {
    JsonNode n = args.get(0);
    if (n != null && n.isTextual()) {
      return checkId("roomId", n.textValue());
    }
    if (n != null && n.isObject()) {
      return string(n, "roomId", MAX_ID);
    }
    throw BadInput.invalid("roomId (string) required");
  }

  public static String string(JsonNode obj, String field, int maxLength) throws BadInput {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw BadInput.invalid(field + " is required");
    }
    if (!v.isTextual()) {
      throw BadInput.invalid(field + " must be a string");
    }
    String s = v.textValue();
    if (s.isEmpty()) {
      throw BadInput.invalid(field + " must not be empty");
    }
    if (s.length() > maxLength) {
      throw BadInput.invalid(field + " must be at most " + maxLength + " characters");
    }
    return s;
  }

  private static String checkId(String field, String s) throws BadInput {
    if (s.isEmpty() || s.length() > MAX_ID) {
      throw BadInput.invalid(field + " must be 1 to " + MAX_ID + " characters");
    }
    return s;
  }

  /** A positive integer id, given as a number or a numeric string. */
  public static long id(JsonNode obj, String field) throws BadInput {
    Long v = optionalId(obj, field);
    if (v == null) {
      throw BadInput.invalid(field + " is required");
    }
    return v;
  }

  public static Long optionalId(JsonNode obj, String field) throws BadInput {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() > 0) {
      return v.longValue();
    }
    if (v.isTextual()) {
      try {
        long l = Long.parseLong(v.textValue());
        if (l > 0) {
          return l;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw BadInput.invalid(field + " must be a positive integer id");
  }
}
