// Package reconnect is exercise 15 of the workbook "WebSocket in Go", for
// the chapter "The shared browser client": a client that reconnects by
// itself, with backoff and jitter, and resumes from the last event it saw
// with nothing lost and nothing twice.
package reconnect
