// Package sse is exercise 2 of the workbook "WebSocket in Go", for the
// chapter "Before WebSocket": Server-Sent Events, the one-way push that
// needs no upgrade, with resumption from Last-Event-ID.
package sse
