// Package longpoll is exercise 10 of the workbook "WebSocket in Go", for
// the chapter "Before WebSocket": a long poll that never loses an event.
package longpoll
