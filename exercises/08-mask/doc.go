// Package mask is exercise 8 of the workbook "WebSocket in Go", for the
// chapter "Frames": mask and unmask a payload, in pieces and as a stream.
package mask
