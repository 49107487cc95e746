package io.parley.netty;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The reference server's handshake and request errors ({@code Server.errors} in engine.io). */
enum EngineError {
  UNKNOWN_TRANSPORT(0, "Transport unknown", HttpResponseStatus.BAD_REQUEST),
  UNKNOWN_SID(1, "Session ID unknown", HttpResponseStatus.BAD_REQUEST),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method", HttpResponseStatus.BAD_REQUEST),
  BAD_REQUEST(3, "Bad request", HttpResponseStatus.BAD_REQUEST),
  FORBIDDEN(4, "Forbidden", HttpResponseStatus.FORBIDDEN),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", HttpResponseStatus.BAD_REQUEST);

  final int code;
  final String message;
  final HttpResponseStatus status;

  EngineError(int code, String message, HttpResponseStatus status) {
    this.code = code;
    this.message = message;
    this.status = status;
  }
}
