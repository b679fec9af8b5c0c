// Package fanout is exercise 17 of the workbook "WebSocket in Go", for the
// chapter "Into production", section "Past one machine": deliver a
// broker's messages to the local subscribers of a subject, once each.
package fanout
