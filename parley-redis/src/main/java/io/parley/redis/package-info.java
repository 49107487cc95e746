/**
 * Redis for Parley clusters, wire-compatible with {@code @socket.io/redis-adapter} 8 and
 * {@code @socket.io/redis-emitter} 5: {@link io.parley.redis.RedisAdapters} makes the adapter
 * factory (classic or sharded Pub/Sub), {@link io.parley.redis.RedisEmitter} publishes from outside
 * a server. Built on Lettuce; MessagePack as notepack.io writes it.
 */
package io.parley.redis;
