// Package serve is the plumbing that every server in the workbook shares, kept
// out of the chapters so that each main shows its WebSocket library and little
// else.
//
// It belongs to the chapter "Into production": the flags every server takes
// (-addr, -allow-origin, -allow-host, and -tls-cert, -tls-key or
// -tls-self-signed for https:// and wss://) and the exit status of a
// mistake in them (2); TLS under the listener hook, HTTP/1.1 only, with a
// self-signed certificate for localhost and its two fingerprints; the origin policy that stops cross-site WebSocket hijacking and
// the Host policy that stops DNS rebinding; an http.Server with limits on
// slow, idle, unread and oversized requests (ReadHeaderTimeout,
// IdleTimeout, WriteTimeout, MaxHeaderBytes); and a graceful shutdown that
// says goodbye (close code 1001, RFC 6455 §7.4.1) to every open socket, all
// at once.
package serve
