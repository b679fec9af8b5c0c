// Package acceptkey is exercise 3 of the workbook "WebSocket in Go", for
// the chapter "The opening handshake": compute Sec-WebSocket-Accept.
package acceptkey
