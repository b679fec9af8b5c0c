package handshake

import (
	"encoding/binary"
	"io"
)

// Opcode says what a frame carries (RFC 6455 §5.2, §11.8).
type Opcode byte

// The opcodes of RFC 6455 §5.2. 0x3–0x7 and 0xB–0xF are reserved.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

// IsControl reports whether op is a control opcode (§5.5: the high bit of
// the opcode is set).
func (op Opcode) IsControl() bool { return op&0x8 != 0 }

// isKnown reports whether op is one of the six opcodes RFC 6455 defines.
func (op Opcode) isKnown() bool {
	switch op {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return true
	}
	return false
}

// ANCHOR: header

// header is one frame's header, RFC 6455 §5.2:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-------+-+-------------+-------------------------------+
//	|F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//	|I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//	|N|V|V|V|       |S|             |   (if payload len==126/127)   |
//	| |1|2|3|       |K|             |                               |
//	+-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//	|     Extended payload length continued, if payload len == 127  |
//	+ - - - - - - - - - - - - - - - +-------------------------------+
//	|                               |Masking-key, if MASK set to 1  |
//	+-------------------------------+-------------------------------+
type header struct {
	fin    bool   // this is the last frame of its message
	rsv    byte   // RSV1–3, as the three bits 0b111 << 4; must be 0 without extensions
	op     Opcode // what the payload is
	masked bool   // a masking key follows (client to server: always)
	length uint64 // payload length in bytes
	key    [4]byte
}

// maxHeaderLen is the longest header: 2 bytes, an 8-byte length, a 4-byte key.
const maxHeaderLen = 2 + 8 + 4

// ANCHOR_END: header

// ANCHOR: read-header

// readHeader reads one frame header from r into h, using buf as scratch so
// that reading allocates nothing.
func readHeader(r io.Reader, buf *[maxHeaderLen]byte, h *header) error {
	if _, err := io.ReadFull(r, buf[:2]); err != nil {
		return err
	}
	h.fin = buf[0]&0x80 != 0
	h.rsv = buf[0] & 0x70
	h.op = Opcode(buf[0] & 0x0F)
	h.masked = buf[1]&0x80 != 0

	// The 7-bit length is the length, unless it is 126 (a 16-bit length
	// follows) or 127 (a 64-bit length follows), both in network order.
	n := 0
	switch buf[1] & 0x7F {
	case 126:
		n = 2
	case 127:
		n = 8
	}
	if h.masked {
		n += 4
	}
	if _, err := io.ReadFull(r, buf[2:2+n]); err != nil {
		return unexpected(err)
	}
	ext := buf[2 : 2+n]
	switch l := buf[1] & 0x7F; l {
	case 126:
		h.length = uint64(binary.BigEndian.Uint16(ext))
		ext = ext[2:]
	case 127:
		h.length = binary.BigEndian.Uint64(ext)
		ext = ext[8:]
	default:
		h.length = uint64(l)
	}
	if h.masked {
		copy(h.key[:], ext)
	}
	return nil
}

// ANCHOR_END: read-header

// ANCHOR: write-header

// appendHeader appends the encoding of h to b: the shortest length form
// that fits, as §5.2 requires ("the minimal number of bytes MUST be used").
func appendHeader(b []byte, h *header) []byte {
	b0 := byte(h.op) | h.rsv
	if h.fin {
		b0 |= 0x80
	}
	var b1 byte
	if h.masked {
		b1 = 0x80
	}
	switch {
	case h.length <= 125:
		b = append(b, b0, b1|byte(h.length))
	case h.length <= 0xFFFF:
		b = append(b, b0, b1|126)
		b = binary.BigEndian.AppendUint16(b, uint16(h.length))
	default:
		b = append(b, b0, b1|127)
		b = binary.BigEndian.AppendUint64(b, h.length)
	}
	if h.masked {
		b = append(b, h.key[:]...)
	}
	return b
}

// ANCHOR_END: write-header

// unexpected turns a clean EOF in the middle of a frame into
// io.ErrUnexpectedEOF: the peer hung up halfway.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
