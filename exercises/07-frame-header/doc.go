// Package header is exercise 7 of the workbook "WebSocket in Go", for the
// chapter "Frames": encode a frame header.
package header
