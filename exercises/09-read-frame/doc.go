// Package readframe is exercise 9 of the workbook "WebSocket in Go", for
// the chapter "Frames": parse one frame from a reader.
package readframe
