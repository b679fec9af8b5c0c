// Package deflate is exercise 12 of the workbook "WebSocket in Go", for
// the chapter "Compression: permessage-deflate": negotiate
// permessage-deflate (RFC 7692), the extension behind RSV1.
package deflate
