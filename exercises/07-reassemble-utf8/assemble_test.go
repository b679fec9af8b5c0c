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
	}{
		{"one frame", []Frame{{true, 1, []byte("Hello")}}, 1, "Hello"},
		{"three fragments", []Frame{{false, 1, []byte("Hel")}, {false, 0, []byte("l")}, {true, 0, []byte("o")}}, 1, "Hello"},
		{"binary fragments", []Frame{{false, 2, []byte{0xff}}, {true, 0, []byte{0x00}}}, 2, "\xff\x00"},
		{"a code point split across fragments", []Frame{{false, 1, []byte("caf\xc3")}, {true, 0, []byte("\xa9")}}, 1, "café"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op, msg, code := Assemble(tc.frames)
			assert.Zero(t, code)
			assert.Equal(t, tc.op, op)
			assert.Equal(t, tc.want, string(msg))
		})
	}
}

func TestAssembleFaults(t *testing.T) {
	cases := []struct {
		name   string
		frames []Frame
		code   int
	}{
		{"continuation with nothing to continue", []Frame{{true, 0, []byte("x")}}, ProtocolError},
		{"a new text frame inside a message", []Frame{{false, 1, []byte("a")}, {true, 1, []byte("b")}}, ProtocolError},
		{"invalid UTF-8", []Frame{{true, 1, []byte("bad \xff")}}, InvalidData},
		{"a code point cut off at the end", []Frame{{false, 1, []byte("caf")}, {true, 0, []byte("\xc3")}}, InvalidData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, code := Assemble(tc.frames)
			assert.Equal(t, tc.code, code)
		})
	}
}
