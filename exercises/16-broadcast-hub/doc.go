// Package hub is exercise 16 of the workbook "WebSocket in Go", for the
// chapter "Into production": a broadcast hub where a slow client cannot
// hold up the others.
package hub
