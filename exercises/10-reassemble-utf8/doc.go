// Package assemble is exercise 10 of the workbook "WebSocket in Go", for the
// chapter "Frames": put a fragmented message back together.
package assemble
