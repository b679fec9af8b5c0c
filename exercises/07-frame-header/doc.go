// Package header is exercise 7 of the workbook "WebSocket in Go", for the
// chapter "Frames": encode a frame header, and parse one strictly from a
// buffer that may hold only part of it.
package header
