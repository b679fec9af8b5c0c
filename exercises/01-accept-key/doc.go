// Package acceptkey is exercise 1 of the workbook "WebSocket in Go", for
// the chapter "The opening handshake": compute Sec-WebSocket-Accept.
package acceptkey
