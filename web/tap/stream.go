package tap

import (
	"github.com/websocket-in-go/workbook/handshake"
)

// controlBytes is how much of a control frame's payload a stream keeps: all
// of it (§5.5: at most 125 bytes), so that a close frame's reason is whole.
const controlBytes = 125

// ANCHOR: stream

// stream parses one direction of a connection into frames as the bytes go
// by, in whatever pieces the reads and writes cut them: a header may
// arrive a byte at a time, a payload in a thousand pieces. It keeps the
// header and the first bytes of each payload, never the whole payload, and
// calls emit once per frame, as soon as those bytes have passed: a 1 GB
// frame is shown before its last byte arrives.
type stream struct {
	dir  string
	emit func(*Frame)

	hdr  [handshake.MaxFrameHeaderLen]byte // the header so far
	nhdr int                               // bytes in hdr
	size int                               // the header's size, once parsed

	h       handshake.FrameHeader // the frame whose payload is passing
	inFrame bool                  // h is parsed; left payload bytes to come
	left    uint64
	keep    []byte // the first payload bytes, as sent
	want    int    // how many to keep before emitting
	emitted bool
}

// feed parses the next bytes of the direction.
func (s *stream) feed(b []byte) {
	for len(b) > 0 {
		if !s.inFrame {
			b = s.feedHeader(b)
			continue
		}
		n := uint64(len(b))
		if n > s.left {
			n = s.left
		}
		if need := s.want - len(s.keep); need > 0 {
			s.keep = append(s.keep, b[:min(int(n), need)]...)
		}
		s.left -= n
		b = b[n:]
		s.maybeEmit()
		if s.left == 0 {
			s.inFrame = false
		}
	}
}

// feedHeader adds bytes to the header until ParseFrameHeader has it whole,
// and returns the bytes it did not use.
func (s *stream) feedHeader(b []byte) []byte {
	n := copy(s.hdr[s.nhdr:], b)
	h, size, err := handshake.ParseFrameHeader(s.hdr[:s.nhdr+n])
	if err != nil { // not yet a whole header: n is all of b
		s.nhdr += n
		return b[n:]
	}
	used := size - s.nhdr
	s.h, s.size, s.nhdr = h, size, 0
	s.inFrame, s.left, s.emitted = true, h.Length, false
	s.want = shownBytes
	if h.Opcode.IsControl() {
		s.want = controlBytes
	}
	s.want = int(min(uint64(s.want), h.Length))
	s.keep = s.keep[:0]
	s.maybeEmit()
	if s.left == 0 {
		s.inFrame = false
	}
	return b[used:]
}

// maybeEmit sends the frame's record once its first bytes are kept.
func (s *stream) maybeEmit() {
	if s.emitted || len(s.keep) < s.want {
		return
	}
	s.emitted = true
	s.emit(newFrame(s.dir, s.hdr[:s.size], s.h, s.keep))
}

// ANCHOR_END: stream
