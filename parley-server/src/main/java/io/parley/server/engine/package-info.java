/**
 * The Engine.IO layer (protocol v4) and the interface a transport binding implements. An
 * {@link io.parley.server.engine.Engine} serves one endpoint: handshakes, long-polling, WebSocket
 * upgrades, heartbeats and CORS, configured by {@link io.parley.server.engine.EngineOptions}. A binding
 * turns each HTTP request into {@link io.parley.server.engine.Engine#handle} with an
 * {@link io.parley.server.engine.HttpExchange}, runs each session on an
 * {@link io.parley.server.engine.EngineExecutor}, and carries WebSockets through
 * {@link io.parley.server.engine.WebSocketSink} and {@link io.parley.server.engine.WebSocketHandler}.
 * Applications normally only meet {@code EngineOptions} and {@code CorsOptions}.
 */
package io.parley.server.engine;
