package assemble

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAssembleMessages(t *testing.T) {
	cases := []struct {
		name   string
		frames []Frame
		op     byte
		want   string
		rule   string
	}{
		{"one frame", []Frame{{true, 1, []byte("Hello")}}, 1, "Hello",
			"RFC 6455 §5.4: an unfragmented message is one frame with FIN set"},
		{"three fragments", []Frame{{false, 1, []byte("Hel")}, {false, 0, []byte("l")}, {true, 0, []byte("o")}}, 1, "Hello",
			"RFC 6455 §5.4: the first fragment carries the opcode, the others are continuations (0), the last has FIN; the message is their payloads in order"},
		{"binary fragments", []Frame{{false, 2, []byte{0xff}}, {true, 0, []byte{0x00}}}, 2, "\xff\x00",
			"RFC 6455 §5.6: a binary message is any bytes at all; only text must be UTF-8"},
		{"a code point split across fragments", []Frame{{false, 1, []byte("caf\xc3")}, {true, 0, []byte("\xa9")}}, 1, "café",
			"RFC 6455 §5.6 and §8.1: the text of the whole message must be UTF-8; a fragment may end inside a code point"},
		{"an empty text message", []Frame{{true, 1, nil}}, 1, "",
			"RFC 6455 §5.6: an empty text message is valid UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op, msg, code := Assemble(tc.frames)
			assert.Zero(t, code, tc.rule)
			assert.Equal(t, tc.op, op, "%s: the message's opcode is its first frame's", tc.rule)
			assert.Equal(t, tc.want, string(msg), tc.rule)
		})
	}
}

func TestAssembleFaults(t *testing.T) {
	cases := []struct {
		name   string
		frames []Frame
		code   int
		rule   string
	}{
		{"continuation with nothing to continue", []Frame{{true, 0, []byte("x")}}, ProtocolError,
			"RFC 6455 §5.4: a message starts with a text or binary frame, never a continuation (fail with 1002, §7.4.1)"},
		{"a new text frame inside a message", []Frame{{false, 1, []byte("a")}, {true, 1, []byte("b")}}, ProtocolError,
			"RFC 6455 §5.4: the fragments after the first are continuations, opcode 0 (fail with 1002)"},
		{"FIN before the last frame", []Frame{{true, 1, []byte("a")}, {true, 0, []byte("b")}}, ProtocolError,
			"RFC 6455 §5.4: FIN=1 marks the last fragment; a frame with FIN ends the message (fail with 1002)"},
		{"the last frame without FIN", []Frame{{false, 1, []byte("a")}, {false, 0, []byte("b")}}, ProtocolError,
			"RFC 6455 §5.4: the last fragment has FIN=1 (fail with 1002)"},
		{"no frames at all", nil, ProtocolError,
			"RFC 6455 §5.4: a message has at least one frame (fail with 1002)"},
		{"invalid UTF-8", []Frame{{true, 1, []byte("bad \xff")}}, InvalidData,
			"RFC 6455 §8.1: text that is not UTF-8 fails the connection with 1007 (§7.4.1)"},
		{"a code point cut off at the end", []Frame{{false, 1, []byte("caf")}, {true, 0, []byte("\xc3")}}, InvalidData,
			"RFC 6455 §8.1: the whole message must be UTF-8, so a code point cut off by the last fragment is 1007"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, code := Assemble(tc.frames)
			assert.Equal(t, tc.code, code, tc.rule)
		})
	}
}
