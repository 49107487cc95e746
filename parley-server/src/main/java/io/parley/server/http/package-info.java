/**
 * Parley's own HTTP types, independent of any binding: the {@link io.parley.server.http.HttpRequest}
 * a binding hands over, the {@link io.parley.server.http.HttpResponse} sent back through an
 * {@link io.parley.server.http.HttpResponder}, and {@link io.parley.server.http.HttpRoute}, the plain
 * HTTP routes (health checks, REST) served beside the Socket.IO endpoint.
 */
package io.parley.server.http;
