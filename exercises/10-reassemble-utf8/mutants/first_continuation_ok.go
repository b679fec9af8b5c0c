//go:build mutant && mutant_first_continuation_ok

// Mistake: a first frame that is a continuation is accepted.

package assemble

import "unicode/utf8"

// Assemble joins the frames of one message (RFC 6455 §5.4) and returns its
// opcode and payload, or a close code (non-zero) if the frames break a rule.
func Assemble(frames []Frame) (opcode byte, message []byte, closeCode int) {
	for i, f := range frames {
		switch {
		case i > 0 && f.Opcode != 0:
			return 0, nil, ProtocolError // a new message inside this one
		case f.Fin != (i == len(frames)-1):
			return 0, nil, ProtocolError // FIN only on the last frame
		}
		if i == 0 {
			opcode = f.Opcode
		}
		message = append(message, f.Payload...)
	}
	if len(frames) == 0 {
		return 0, nil, ProtocolError
	}
	if opcode == 1 && !utf8.Valid(message) {
		return 0, nil, InvalidData
	}
	return opcode, message, 0
}
