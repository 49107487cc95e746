package io.parley.server;

/**
 * The acknowledgement callback of a received event: the {@code callback} a socket.io handler gets as
 * its last argument. {@link #send} may be called once, from any thread, at any time (after an
 * asynchronous call, say); later calls are ignored. When the sender asked for no ack,
 * {@link #requested()} is false and {@code send} does nothing.
 *
 * <pre>{@code
 * // client: socket.emit("update item", "1", { name: "updated" }, (response) => ...)
 * socket.on("update item", (args, ack) -> {
 *   items.update(args.get(0).asText(), args.get(1, Item.class));
 *   ack.send(Map.of("status", "ok"));
 * });
 * }</pre>
 */
public interface Ack {
  /** The ack of an event sent without one: {@link #requested()} is false, {@link #send} does nothing. */
  Ack NONE = new Ack() {
    @Override
    public void send(Object... args) {}

    @Override
    public boolean requested() {
      return false;
    }
  };

  /**
   * Answers the sender, the first time only. For a client's event, the ACK packet is written
   * unless the socket has disconnected since; for {@code serverSideEmitWithAck} from another node,
   * only the first argument is carried back.
   *
   * @param args the reply, serialised by the server's Jackson mapper ({@code byte[]} values become
   *     binary attachments)
   */
  void send(Object... args);

  /** Whether the sender asked for an acknowledgement (the client passed a callback). */
  boolean requested();
}
