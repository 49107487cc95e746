/**
 * Connection state recovery, as socket.io 4.6+'s {@code connectionStateRecovery}: a client whose
 * connection drops and comes back in time gets back its socket id, rooms and {@code data}, and the
 * packets it missed. Turned on with {@code ServerOptions.builder().connectionStateRecovery(...)};
 * {@link io.parley.server.recovery.RecoveryStore} is where the in-memory adapter keeps sessions and
 * packets, {@link io.parley.server.recovery.Session} what it keeps of a socket.
 */
package io.parley.server.recovery;
