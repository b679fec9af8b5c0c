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

	// With permessage-deflate: z inflates this direction's compressed
	// messages; compressed says the message in progress is one (its
	// first frame had RSV1), and then its frames are reported when they
	// end, the last one with the message inflated.
	z          *inflater
	compressed bool
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
		if s.inflating() {
			s.z.write(b[:n], s.h.Masked, s.h.Key, s.h.Length-s.left)
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
	if !h.Opcode.IsControl() && h.Opcode != handshake.OpContinuation { // a message begins
		s.compressed = s.z != nil && h.RSV&4 != 0 // RSV1: RFC 7692 §6
		if s.compressed {
			s.z.start()
		}
	}
	s.maybeEmit()
	if s.left == 0 {
		s.inFrame = false
	}
	return b[used:]
}

// inflating reports whether the frame passing is part of a compressed
// message (a control frame between its fragments is not).
func (s *stream) inflating() bool { return s.compressed && !s.h.Opcode.IsControl() }

// maybeEmit sends the frame's record once its first bytes are kept, or,
// in a compressed message, once the frame has ended.
func (s *stream) maybeEmit() {
	if s.emitted || len(s.keep) < s.want || (s.inflating() && s.left > 0) {
		return
	}
	s.emitted = true
	f := newFrame(s.dir, s.hdr[:s.size], s.h, s.keep)
	if s.inflating() {
		f.Compressed, f.Text = true, nil
		if s.h.Fin {
			s.compressed = false
			head, n, err := s.z.finish()
			if err != nil {
				f.InflateError = err.Error()
			} else {
				f.Inflated, f.InflatedLen = spaced(head), n
				if text, ok := asText(head, len(head) < n); ok {
					f.Text = &text
				}
			}
		}
	}
	s.emit(f)
}

// applyMask unmasks b, the payload bytes from position pos on.
func applyMask(key [4]byte, pos uint64, b []byte) {
	handshake.ApplyMask(key, int(pos&3), b)
}

// ANCHOR_END: stream
