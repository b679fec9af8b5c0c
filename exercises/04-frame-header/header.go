//go:build !solution

// Package header is exercise 4 of the workbook "WebSocket in Go", for the
// chapter "Frames": encode a frame header.
package header

// Header is a frame header (RFC 6455 §5.2).
type Header struct {
	Fin    bool
	Opcode byte
	Masked bool
	Key    [4]byte // used when Masked
	Length uint64
}

// Append appends the encoding of h to b, with the shortest length form.
func Append(b []byte, h Header) []byte {
	return b // TODO
}
