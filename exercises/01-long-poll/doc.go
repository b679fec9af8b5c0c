// Package longpoll is exercise 1 of the workbook "WebSocket in Go", for
// the chapter "Before WebSocket": a long poll that never loses an event.
package longpoll
