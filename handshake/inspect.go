package handshake

import (
	"bytes"
	"io"
)

// This file opens the frame code up to a reader that only watches: the
// frame inspector of the shared page (package web/tap), which parses the
// bytes on the wire under every server with this package's own code, never
// a library's.

// MaxFrameHeaderLen is the longest frame header: 2 bytes, an 8-byte
// length and a 4-byte masking key.
const MaxFrameHeaderLen = maxHeaderLen

// ANCHOR: frame-header

// FrameHeader is one frame's header as it crossed the wire (RFC 6455 §5.2).
type FrameHeader struct {
	// Fin is set on the last frame of a message.
	Fin bool
	// RSV holds the three reserved bits as a number from 0 to 7: RSV1 is
	// 4, RSV2 is 2, RSV3 is 1. Without an extension it must be 0.
	RSV byte
	// Opcode says what the payload is.
	Opcode Opcode
	// Masked is set when a masking key follows: on every client frame.
	Masked bool
	// Length is the payload length in bytes.
	Length uint64
	// LengthBits is the form the length took on the wire: 7 (in the
	// second byte), 16 (126, then 2 bytes) or 64 (127, then 8 bytes).
	LengthBits int
	// Key is the masking key, if Masked.
	Key [4]byte
	// Size is how many bytes the header took: 2 to 14.
	Size int
}

// ParseFrameHeader parses the frame header at the start of b, with the
// same code that every Conn reads frames with, and returns it and its size.
// It returns io.ErrUnexpectedEOF while b holds less than a whole header:
// append the next bytes from the wire and call it again. It checks nothing
// that §5 forbids (a reserved opcode, RSV bits, a length of 2⁶³ or more):
// an inspector shows what was sent, and the reader of a Conn refuses it.
func ParseFrameHeader(b []byte) (FrameHeader, int, error) {
	var h header
	var scratch [maxHeaderLen]byte
	if err := readHeader(bytes.NewReader(b), &scratch, &h); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return FrameHeader{}, 0, err
	}
	bits, size := 7, 2
	switch b[1] & 0x7F {
	case 126:
		bits, size = 16, 4
	case 127:
		bits, size = 64, 10
	}
	if h.masked {
		size += 4
	}
	return FrameHeader{
		Fin:        h.fin,
		RSV:        h.rsv >> 4,
		Opcode:     h.op,
		Masked:     h.masked,
		Length:     h.length,
		LengthBits: bits,
		Key:        h.key,
		Size:       size,
	}, size, nil
}

// ANCHOR_END: frame-header

// AppendFrameHeader appends the encoding of h to b, as every Conn writes
// its frames: the shortest length form that fits (h.LengthBits and h.Size
// are ignored).
func AppendFrameHeader(b []byte, h FrameHeader) []byte {
	return appendHeader(b, &header{
		fin:    h.Fin,
		rsv:    (h.RSV & 7) << 4,
		op:     h.Opcode,
		masked: h.Masked,
		length: h.Length,
		key:    h.Key,
	})
}

// ApplyMask XORs b in place with the masking key, starting at byte pos of
// the payload, and returns the position to continue from (RFC 6455 §5.3).
// The same call masks and unmasks.
func ApplyMask(key [4]byte, pos int, b []byte) int { return maskWords(key, pos, b) }

// ParseCloseBody reads a close frame's body (§5.5.1): empty (code 1005,
// CloseNoStatus, is reported), or a 2-byte code and a UTF-8 reason. A body
// that breaks a rule returns the *CloseError a Conn would fail the
// connection with.
func ParseCloseBody(body []byte) (code int, reason string, err error) {
	code, reason, cerr := parseClose(body)
	if cerr != nil {
		return 0, "", cerr
	}
	return code, reason, nil
}

// Name returns the opcode's name, as RFC 6455 §11.8 registers it, in lower
// case: "continuation", "text", "binary", "close", "ping", "pong"; a
// reserved opcode is "reserved 0x3" and so on. (Name, not String: %x of
// an Opcode stays a number.)
func (op Opcode) Name() string {
	switch op {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	return "reserved 0x" + string("0123456789abcdef"[op&0xF])
}
