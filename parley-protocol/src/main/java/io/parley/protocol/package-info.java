/**
 * The wire formats, without I/O: Engine.IO v4 packets and long-polling payloads
 * ({@link io.parley.protocol.EngineCodec}) and Socket.IO v5 packets with their binary attachments
 * ({@link io.parley.protocol.SocketCodec}). Encoding yields an {@link io.parley.protocol.EncodedPacket}
 * that every recipient of a broadcast shares; malformed input throws
 * {@link io.parley.protocol.ProtocolException}.
 */
package io.parley.protocol;
