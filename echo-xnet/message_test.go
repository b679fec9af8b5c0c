package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/net/websocket"
)

func TestValidSoFar(t *testing.T) {
	cases := []struct {
		name  string
		b     string
		whole bool
		want  bool
	}{
		{"ASCII", "Hello", true, true},
		{"whole, valid", "caf\xc3\xa9", true, true},
		{"whole, cut in a code point", "caf\xc3", true, false},
		{"a fragment cut in a 2-byte code point", "caf\xc3", false, true},
		{"a fragment cut in a 4-byte code point after 1 byte", "\xf0", false, true},
		{"a fragment cut after 3 of 4 bytes", "\xf0\x9f\x8e", false, true},
		{"E0 needs A0–BF next", "\xe0\xa0", false, true},
		{"E0 80 can never be valid", "\xe0\x80", false, false},
		{"F4 90 is past U+10FFFF", "\xf4\x90", false, false},
		{"ED A0 is a surrogate", "\xed\xa0", false, false},
		{"F5 can never start a code point", "\xf5", false, false},
		{"an invalid byte before the cut", "a\xffb\xc3", false, false},
		{"a lone continuation byte", "a\x80", false, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, validSoFar([]byte(tc.b), tc.whole), tc.name)
	}
}

func TestAssembler(t *testing.T) {
	text, binary, cont := byte(websocket.TextFrame), byte(websocket.BinaryFrame), byte(0)
	type frame struct {
		f    dataFrame
		data string
	}
	cases := []struct {
		name   string
		frames []frame
		want   string // the message, when the last frame completes one
		code   int    // or the close code of the fault
	}{
		{"one frame", []frame{{dataFrame{text, true}, "Hello"}}, "Hello", 0},
		{"three fragments", []frame{{dataFrame{text, false}, "Hel"}, {dataFrame{cont, false}, "l"}, {dataFrame{cont, true}, "o"}}, "Hello", 0},
		{"a code point split across fragments", []frame{{dataFrame{text, false}, "caf\xc3"}, {dataFrame{cont, true}, "\xa9"}}, "café", 0},
		{"binary fragments", []frame{{dataFrame{binary, false}, "\xff"}, {dataFrame{cont, true}, "\xc3"}}, "\xff\xc3", 0},
		{"continuation with nothing to continue", []frame{{dataFrame{cont, true}, "x"}}, "", closeProtocolError},
		{"a new message inside one", []frame{{dataFrame{text, false}, "a"}, {dataFrame{text, true}, "b"}}, "", closeProtocolError},
		{"reserved opcode", []frame{{dataFrame{3, true}, "x"}}, "", closeProtocolError},
		{"invalid UTF-8 fails at the fragment", []frame{{dataFrame{text, false}, "ok"}, {dataFrame{cont, false}, "\xff"}}, "", closeInvalidData},
		{"a message cut in a code point", []frame{{dataFrame{text, false}, "caf\xc3"}, {dataFrame{cont, true}, ""}}, "", closeInvalidData},
		{"over the limit in fragments", []frame{{dataFrame{binary, false}, "123456"}, {dataFrame{cont, true}, "7890x"}}, "", closeTooBig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := &assembler{limit: 10}
			var got string
			var code int
			for i, fr := range tc.frames {
				_, msg, done, bad := a.add(fr.f, []byte(fr.data))
				if bad != nil {
					code = bad.code
					break
				}
				assert.Equal(t, i == len(tc.frames)-1, done, "frame %d completes the message", i)
				if done {
					got = string(msg)
				}
			}
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.want, got)
		})
	}
}
