/**
 * The adapter SPI, as socket.io's adapters: {@link io.parley.server.adapter.Adapter} is each
 * namespace's room registry and broadcaster (the in-memory one of a single node), and
 * {@link io.parley.server.adapter.ClusterAdapter} implements socket.io's cluster protocol
 * ({@link io.parley.server.adapter.ClusterMessage}) over whatever carries the messages. Backends plug
 * in through {@code ServerOptions.adapterFactory}; parley-redis holds the Redis ones.
 */
package io.parley.server.adapter;
