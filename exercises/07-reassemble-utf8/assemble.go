//go:build !solution

// Package assemble is exercise 7 of the workbook "WebSocket in Go", for the
// chapter "Frames": put a fragmented message back together.
package assemble

// Frame is one data frame, already unmasked.
type Frame struct {
	Fin     bool
	Opcode  byte // 0x0 continuation, 0x1 text, 0x2 binary
	Payload []byte
}

// Close codes that Assemble returns.
const (
	ProtocolError = 1002
	InvalidData   = 1007
)

// Assemble joins the frames of one message (RFC 6455 §5.4) and returns its
// opcode and payload, or a close code (non-zero) if the frames break a rule.
func Assemble(frames []Frame) (opcode byte, message []byte, closeCode int) {
	return 0, nil, 0 // TODO
}
