// Package closeframe is exercise 11 of the workbook "WebSocket in Go", for
// the chapter "Frames": read and check a close frame's body, and build one
// that always fits a control frame.
package closeframe
