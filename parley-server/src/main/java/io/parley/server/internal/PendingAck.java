package io.parley.server.internal;

import io.parley.server.Args;
import java.util.function.Consumer;

/** An ack the server expects for a packet it is delivering: the packet's id and who gets the reply. */
public record PendingAck(long id, Consumer<Args> callback) {}
