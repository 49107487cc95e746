/**
 * The server side of {@code @socket.io/admin-ui}: {@link io.parley.adminui.AdminUi#instrument} lets the
 * admin UI watch and manage a Parley server, as the reference's {@code instrument(io, {...})}, with
 * {@link io.parley.adminui.AdminUiOptions} and {@link io.parley.adminui.AdminAuth}.
 */
package io.parley.adminui;
