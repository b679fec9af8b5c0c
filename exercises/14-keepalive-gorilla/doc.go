// Package keepalive is exercise 14 of the workbook "WebSocket in Go", for
// the chapter "Echo on gorilla": notice a peer that vanished.
package keepalive
