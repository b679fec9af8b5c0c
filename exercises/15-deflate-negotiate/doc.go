// Package deflate is exercise 15 of the workbook "WebSocket in Go", for
// the chapter "Frames": negotiate permessage-deflate (RFC 7692), the
// extension behind RSV1.
package deflate
