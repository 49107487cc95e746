package io.parley.protocol;

/** Socket.IO v5 packet types, in wire order (the ordinal is the digit on the wire). */
public enum PacketType {
  CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

  private static final PacketType[] VALUES = values();

  public char digit() {
    return (char) ('0' + ordinal());
  }

  static PacketType fromDigit(char c) {
    int i = c - '0';
    return i >= 0 && i < VALUES.length ? VALUES[i] : null;
  }

  public boolean isBinary() {
    return this == BINARY_EVENT || this == BINARY_ACK;
  }
}
