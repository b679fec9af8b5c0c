// Package origin is exercise 6 of the workbook "WebSocket in Go", for the
// chapter "The opening handshake": the origin check that stops cross-site
// WebSocket hijacking.
package origin
