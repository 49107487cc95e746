package io.parley.protocol;

/** Socket.IO v5 packet types, in wire order (the ordinal is the digit on the wire). */
public enum PacketType {
  /** {@code 0}: joins a namespace (client), or accepts the join with {@code {sid}} (server). */
  CONNECT,
  /** {@code 1}: leaves a namespace, from either side. */
  DISCONNECT,
  /** {@code 2}: an event {@code [name, ...args]}, with an ack id when an ack is wanted. */
  EVENT,
  /** {@code 3}: the answer to an event's ack id, {@code [...args]}. */
  ACK,
  /** {@code 4}: refuses a namespace join, {@code {message, data}} (server only). */
  CONNECT_ERROR,
  /** {@code 5}: an EVENT whose arguments hold binary attachments, sent as frames after it. */
  BINARY_EVENT,
  /** {@code 6}: an ACK whose arguments hold binary attachments. */
  BINARY_ACK;

  private static final PacketType[] VALUES = values();

  /** The digit that starts the packet on the wire. */
  public char digit() {
    return (char) ('0' + ordinal());
  }

  static PacketType fromDigit(char c) {
    int i = c - '0';
    return i >= 0 && i < VALUES.length ? VALUES[i] : null;
  }

  /** Whether the type is one of the binary ones ({@link #BINARY_EVENT}, {@link #BINARY_ACK}). */
  public boolean isBinary() {
    return this == BINARY_EVENT || this == BINARY_ACK;
  }
}
