package main

import "encoding/binary"

// ANCHOR: frames

// frameEnds follows a stream of WebSocket frames (RFC 6455 §5.2) by their
// headers alone: it knows where each frame ends and what its opcode is,
// without reading or unmasking a payload. The wire (wire.go) feeds it every
// byte x/net reads and writes, so that we see what x/net keeps to itself:
// that a pong arrived, that a close frame went out.
type frameEnds struct {
	head      []byte // the current frame's header so far, up to 14 bytes
	left      uint64 // payload bytes still to come, once the header is whole
	inPayload bool
	last      byte // the opcode of the latest frame whose header is whole
	sawClose  bool // a close frame's header has been seen
}

// next consumes p up to the end of the current frame. It returns how many
// bytes it consumed and whether a frame ended there; if one did, the rest
// of p belongs to the frames after it.
func (f *frameEnds) next(p []byte) (n int, ended bool) {
	for n < len(p) {
		if f.inPayload {
			k := min(uint64(len(p)-n), f.left)
			n += int(k)
			f.left -= k
			if f.left == 0 {
				f.inPayload = false
				return n, true
			}
			continue
		}
		f.head = append(f.head, p[n])
		n++
		if len(f.head) < headerLen(f.head) {
			continue
		}
		f.last = f.head[0] & 0x0f
		f.sawClose = f.sawClose || f.last == closeOpcode
		f.left = payloadLen(f.head)
		f.head = f.head[:0]
		if f.left == 0 {
			return n, true
		}
		f.inPayload = true
	}
	return n, false
}

// headerLen is the length of a frame header that starts with h: 2 bytes,
// plus 2 or 8 for an extended payload length, plus 4 for a masking key.
func headerLen(h []byte) int {
	if len(h) < 2 {
		return 2
	}
	n := 2
	switch h[1] & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if h[1]&0x80 != 0 {
		n += 4
	}
	return n
}

// payloadLen reads the payload length out of a whole header. Like x/net,
// it ignores the top bit of a 64-bit length, so the two never disagree
// about where a frame ends.
func payloadLen(h []byte) uint64 {
	switch l := h[1] & 0x7f; l {
	case 126:
		return uint64(binary.BigEndian.Uint16(h[2:4]))
	case 127:
		return binary.BigEndian.Uint64(h[2:10]) &^ (1 << 63)
	default:
		return uint64(l)
	}
}

// closeOpcode is the opcode of a close frame (RFC 6455 §5.5.1).
const closeOpcode = 8

// ANCHOR_END: frames
