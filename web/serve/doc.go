// Package serve is the plumbing that every server in the workbook shares, kept
// out of the chapters so that each main shows its WebSocket library and little
// else.
//
// It belongs to the chapter "Into production": the flags every server takes
// (-addr, -allow-origin), the origin policy that stops cross-site WebSocket
// hijacking, an http.Server with a ReadHeaderTimeout, and a graceful shutdown
// that says goodbye (close code 1001, RFC 6455 §7.4.1) to every open socket.
package serve
