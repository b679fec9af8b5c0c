// Package validate is exercise 4 of the workbook "WebSocket in Go", for the
// chapter "The opening handshake": refuse a bad handshake with the right
// status.
package validate
