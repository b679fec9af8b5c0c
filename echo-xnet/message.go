package main

import (
	"unicode/utf8"

	"golang.org/x/net/websocket"
)

// ANCHOR: assembler

// assembler puts messages back together (RFC 6455 §5.4). x/net's Receive
// hands over one frame at a time, and gives a continuation frame the type
// of the message it continues, so the handler cannot tell a fragment from
// a message. The wire can: it sees every frame header go by, and queues the
// opcode and FIN bit of each frame that Receive will return (frames.go).
// With those, the handler gets whole messages, as from the other servers.
type assembler struct {
	kind  byte   // websocket.TextFrame or BinaryFrame while a message is open
	buf   []byte // the fragments so far
	limit int    // the largest message
}

// fault is a rule a frame broke: the close code to fail with, and why.
type fault struct {
	code   int
	reason string
}

// add takes one frame that Receive returned, with the header the wire saw
// for it. It returns the message when that frame completed one (done), or
// the rule the frame broke.
func (a *assembler) add(f dataFrame, data []byte) (kind byte, msg []byte, done bool,
	bad *fault) {
	switch {
	case f.opcode != 0 && f.opcode != websocket.TextFrame &&
		f.opcode != websocket.BinaryFrame:
		return 0, nil, false, &fault{closeProtocolError, "reserved opcode"} // §5.2
	case f.opcode == 0 && a.kind == 0:
		return 0, nil, false, &fault{closeProtocolError,
			"continuation frame with no message to continue"}
	case f.opcode != 0 && a.kind != 0:
		return 0, nil, false, &fault{closeProtocolError,
			"new data frame inside a fragmented message"}
	case len(a.buf)+len(data) > a.limit:
		return 0, nil, false, &fault{closeTooBig, "message over " + size(a.limit)}
	}
	if f.opcode != 0 {
		a.kind = f.opcode
	}
	msg = data
	if !f.fin || len(a.buf) > 0 {
		a.buf = append(a.buf, data...)
		msg = a.buf
	}
	// §8.1: a text message is UTF-8, checked as the fragments arrive, so
	// a bad byte fails the connection at once, and a code point split
	// across two fragments is fine.
	if a.kind == websocket.TextFrame && !validSoFar(msg, f.fin) {
		return 0, nil, false, &fault{closeInvalidData, "text message is not valid UTF-8"}
	}
	if !f.fin {
		return 0, nil, false, nil
	}
	kind = a.kind
	a.kind, a.buf = 0, nil
	return kind, msg, true, nil
}

// ANCHOR_END: assembler

// validSoFar reports whether b can be the start of valid UTF-8: all valid
// if it is the whole message, else valid but for an unfinished code point
// at the end that some continuation could complete.
func validSoFar(b []byte, whole bool) bool {
	if whole || utf8.Valid(b) {
		return utf8.Valid(b)
	}
	// Find where the last code point starts: at most 3 bytes back.
	start := len(b) - 1
	for start > 0 && start > len(b)-4 && !utf8.RuneStart(b[start]) {
		start--
	}
	if !utf8.Valid(b[:start]) || utf8.FullRune(b[start:]) {
		return false
	}
	// Could the tail be completed? Try the continuation bytes that open
	// every allowed range of the second byte (E0 A0–BF, ED 80–9F, F0 90–BF,
	// F4 80–8F), then 0x80 for the rest.
	for _, second := range []byte{0x80, 0x90, 0xA0, 0xBF} {
		try := append([]byte(nil), b[start:]...)
		if len(try) == 1 {
			try = append(try, second)
		}
		for !utf8.FullRune(try) {
			try = append(try, 0x80)
		}
		if utf8.Valid(try) {
			return true
		}
	}
	return false
}
