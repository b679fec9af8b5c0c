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

	// data, if keepData is set, queues the headers of the frames that
	// x/net's Receive will hand over one by one (every frame but close,
	// ping and pong), so that the handler learns what Receive hides: each
	// frame's opcode before x/net rewrote it, and its FIN bit.
	keepData bool
	data     []dataFrame
	overflow bool // more headers arrived than maxQueued: the peer is abusing us
}

// dataFrame is what the handler needs of a frame header that Receive hides.
type dataFrame struct {
	opcode byte // 0 continuation, 1 text, 2 binary, or a reserved one
	fin    bool // the last frame of its message
}

// maxQueued bounds the queue of data frame headers. x/net reads ahead
// through a 4 KiB buffer, and the smallest client frame is 6 bytes, so a
// well-behaved stream never queues more than about 700.
const maxQueued = 4096

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
		if f.keepData && f.last != closeOpcode && f.last != pingOpcode && f.last != pongOpcode {
			if len(f.data) < maxQueued {
				f.data = append(f.data, dataFrame{opcode: f.last, fin: f.head[0]&0x80 != 0})
			} else {
				f.overflow = true
			}
		}
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

// The opcodes of RFC 6455 §5.2 that x/net handles inside Receive.
const (
	closeOpcode = 8
	pingOpcode  = 9
	pongOpcode  = 10
)

// nextData takes the header of the oldest data frame not yet handed over.
func (f *frameEnds) nextData() (dataFrame, bool) {
	if len(f.data) == 0 || f.overflow {
		return dataFrame{}, false
	}
	d := f.data[0]
	f.data = f.data[1:]
	if len(f.data) == 0 {
		f.data = f.data[:0:0] // let the backing array go once it is drained
	}
	return d, true
}

// ANCHOR_END: frames
