package tap

import (
	"encoding/hex"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
)

// rfcFrames are the example frames of RFC 6455 §5.7, in hex, one after
// another on one wire, with what the stream must report for each.
var rfcFrames = []struct {
	wire string
	want Frame
}{
	{"81 05 48 65 6c 6c 6f", Frame{Fin: true, Opcode: 1, Name: "text", Len: 5, LenBits: 7, Header: "81 05",
		Sent: "48 65 6c 6c 6f", Payload: "48 65 6c 6c 6f", Shown: 5}},
	{"81 85 37 fa 21 3d 7f 9f 4d 51 58", Frame{Fin: true, Opcode: 1, Name: "text", Mask: true, Len: 5, LenBits: 7,
		Header: "81 85 37 fa 21 3d", Key: "37 fa 21 3d", Sent: "7f 9f 4d 51 58", Payload: "48 65 6c 6c 6f", Shown: 5}},
	{"01 03 48 65 6c", Frame{Opcode: 1, Name: "text", Len: 3, LenBits: 7, Header: "01 03", Sent: "48 65 6c", Payload: "48 65 6c", Shown: 3}},
	{"80 02 6c 6f", Frame{Fin: true, Opcode: 0, Name: "continuation", Len: 2, LenBits: 7, Header: "80 02", Sent: "6c 6f", Payload: "6c 6f", Shown: 2}},
	{"89 05 48 65 6c 6c 6f", Frame{Fin: true, Opcode: 9, Name: "ping", Len: 5, LenBits: 7, Header: "89 05",
		Sent: "48 65 6c 6c 6f", Payload: "48 65 6c 6c 6f", Shown: 5}},
	{"8a 85 37 fa 21 3d 7f 9f 4d 51 58", Frame{Fin: true, Opcode: 10, Name: "pong", Mask: true, Len: 5, LenBits: 7,
		Header: "8a 85 37 fa 21 3d", Key: "37 fa 21 3d", Sent: "7f 9f 4d 51 58", Payload: "48 65 6c 6c 6f", Shown: 5}},
	{"82 7e 01 00" + strings.Repeat(" 00", 256), Frame{Fin: true, Opcode: 2, Name: "binary", Len: 256, LenBits: 16, Header: "82 7e 01 00",
		Sent: zeros(32), Payload: zeros(32), Shown: 32}},
	{"82 7f 00 00 00 00 00 01 00 00" + strings.Repeat(" 00", 65536), Frame{Fin: true, Opcode: 2, Name: "binary", Len: 65536, LenBits: 64,
		Header: "82 7f 00 00 00 00 00 01 00 00", Sent: zeros(32), Payload: zeros(32), Shown: 32}},
}

func zeros(n int) string { return strings.TrimSpace(strings.Repeat("00 ", n)) }

// TestStreamRFCExamples feeds the §5.7 examples, one after another, to a
// stream: whole, a byte at a time, and in pieces of 7 bytes. Each way the
// stream reports the same frames, field by field.
func TestStreamRFCExamples(t *testing.T) {
	var wire []byte
	for _, f := range rfcFrames {
		b, err := hex.DecodeString(strings.ReplaceAll(f.wire, " ", ""))
		require.NoError(t, err)
		wire = append(wire, b...)
	}
	for _, piece := range []int{len(wire), 1, 7} {
		t.Run(map[int]string{len(wire): "whole", 1: "byte by byte", 7: "7 bytes at a time"}[piece], func(t *testing.T) {
			var got []*Frame
			s := stream{dir: In, emit: func(f *Frame) { got = append(got, f) }}
			for b := wire; len(b) > 0; {
				n := min(piece, len(b))
				s.feed(b[:n])
				b = b[n:]
			}
			require.Len(t, got, len(rfcFrames))
			for i, f := range rfcFrames {
				want := f.want
				want.Dir = In
				g := *got[i]
				assert.NotNil(t, g.Text, "frame %d: its bytes are UTF-8", i)
				g.Text = nil
				assert.Equal(t, want, g, "frame %d", i)
			}
			assert.Equal(t, "Hello", *got[1].Text, "unmasked")
		})
	}
}

// TestStreamText: text is shown where the shown bytes are UTF-8; a
// character cut by the 32-byte window is left out; bytes that are not
// UTF-8 have no text.
func TestStreamText(t *testing.T) {
	cases := []struct {
		name    string
		payload []byte
		text    *string
	}{
		{"ASCII", []byte("Hi!"), ptr("Hi!")},
		{"é cut at byte 32", []byte(strings.Repeat("a", 31) + "é"), ptr(strings.Repeat("a", 31))},
		{"not UTF-8", []byte{0xff, 0xfe, 0x00}, nil},
		{"markup stays text", []byte(`<img src=x onerror=alert(1)>`), ptr(`<img src=x onerror=alert(1)>`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *Frame
			s := stream{dir: In, emit: func(f *Frame) { got = f }}
			s.feed(clientFrame(handshake.OpBinary, tc.payload))
			require.NotNil(t, got)
			assert.Equal(t, tc.text, got.Text)
		})
	}
}

func ptr(s string) *string { return &s }

// TestStreamCloseFrames: a close frame shows its code and reason, or what
// is wrong with its body.
func TestStreamCloseFrames(t *testing.T) {
	cases := []struct {
		name   string
		body   []byte
		code   int
		reason string
		broken string
	}{
		{"1000 with a reason", append([]byte{0x03, 0xe8}, "user disconnected"...), 1000, "user disconnected", ""},
		{"empty: 1005", nil, 1005, "", ""},
		{"a code that may not be sent", []byte{0x03, 0xee}, 0, "", "may not be sent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *Frame
			s := stream{dir: In, emit: func(f *Frame) { got = f }}
			s.feed(clientFrame(handshake.OpClose, tc.body))
			require.NotNil(t, got)
			assert.Equal(t, tc.code, got.CloseCode)
			assert.Equal(t, tc.reason, got.CloseReason)
			if tc.broken != "" {
				assert.Contains(t, got.CloseError, tc.broken)
			}
		})
	}
}

// TestStreamKeepsNoPayload: a frame that claims a terabyte, followed by
// 64 MiB of it, is reported once, at once, and costs the stream almost no
// memory: it keeps 32 bytes, not the payload.
func TestStreamKeepsNoPayload(t *testing.T) {
	var got []*Frame
	s := stream{dir: In, emit: func(f *Frame) { got = append(got, f) }}
	h := handshake.FrameHeader{Fin: true, Opcode: handshake.OpBinary, Masked: true, Length: 1 << 40, Key: rfcKey}
	piece := make([]byte, 64<<10)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s.feed(handshake.AppendFrameHeader(nil, h))
	for range 1024 {
		s.feed(piece)
	}
	runtime.ReadMemStats(&after)

	require.Len(t, got, 1)
	assert.Equal(t, uint64(1<<40), got[0].Len)
	assert.Equal(t, 64, got[0].LenBits)
	assert.Equal(t, 32, got[0].Shown)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "bytes allocated while 64 MiB went by")
}
