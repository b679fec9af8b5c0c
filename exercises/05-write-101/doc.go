// Package response is exercise 5 of the workbook "WebSocket in Go", for the
// chapter "The opening handshake": write the 101 response by hand.
package response
