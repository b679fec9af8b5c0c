// Package header is exercise 4 of the workbook "WebSocket in Go", for the
// chapter "Frames": encode a frame header.
package header
