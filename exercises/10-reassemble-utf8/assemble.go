//go:build !solution && !mutant

package assemble

// Assemble joins the frames of one message (RFC 6455 §5.4) and returns its
// opcode and payload, or a close code (non-zero) if the frames break a rule.
func Assemble(frames []Frame) (opcode byte, message []byte, closeCode int) {
	return 0, nil, 0 // TODO
}
