package handshake

import (
	"bytes"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseFrameHeaderRFCExamples parses every example frame of RFC 6455
// §5.7 with the exported parser, field by field, unmasks the payload, and
// encodes the header again: the same bytes, byte for byte.
func TestParseFrameHeaderRFCExamples(t *testing.T) {
	cases := []struct {
		name    string
		wire    string // hex, header then payload, as printed in the RFC
		want    FrameHeader
		payload []byte
	}{
		{"single-frame unmasked text", "81 05 48 65 6c 6c 6f",
			FrameHeader{Fin: true, Opcode: OpText, Length: 5, LengthBits: 7, Size: 2}, []byte("Hello")},
		{"single-frame masked text", "81 85 37 fa 21 3d 7f 9f 4d 51 58",
			FrameHeader{Fin: true, Opcode: OpText, Masked: true, Length: 5, LengthBits: 7, Key: rfcKey, Size: 6}, []byte("Hello")},
		{"fragmented unmasked text, first", "01 03 48 65 6c",
			FrameHeader{Opcode: OpText, Length: 3, LengthBits: 7, Size: 2}, []byte("Hel")},
		{"fragmented unmasked text, last", "80 02 6c 6f",
			FrameHeader{Fin: true, Opcode: OpContinuation, Length: 2, LengthBits: 7, Size: 2}, []byte("lo")},
		{"unmasked ping", "89 05 48 65 6c 6c 6f",
			FrameHeader{Fin: true, Opcode: OpPing, Length: 5, LengthBits: 7, Size: 2}, []byte("Hello")},
		{"masked pong", "8a 85 37 fa 21 3d 7f 9f 4d 51 58",
			FrameHeader{Fin: true, Opcode: OpPong, Masked: true, Length: 5, LengthBits: 7, Key: rfcKey, Size: 6}, []byte("Hello")},
		{"256 bytes binary, 16-bit length", "82 7e 01 00" + strings.Repeat(" 00", 256),
			FrameHeader{Fin: true, Opcode: OpBinary, Length: 256, LengthBits: 16, Size: 4}, make([]byte, 256)},
		{"64 KiB binary, 64-bit length", "82 7f 00 00 00 00 00 01 00 00" + strings.Repeat(" 00", 65536),
			FrameHeader{Fin: true, Opcode: OpBinary, Length: 65536, LengthBits: 64, Size: 10}, make([]byte, 65536)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wire, err := hex.DecodeString(strings.ReplaceAll(tc.wire, " ", ""))
			require.NoError(t, err)

			h, n, err := ParseFrameHeader(wire)
			require.NoError(t, err)
			assert.Equal(t, tc.want, h)
			assert.Equal(t, tc.want.Size, n)

			payload := bytes.Clone(wire[n:])
			if h.Masked {
				ApplyMask(h.Key, 0, payload)
			}
			assert.Equal(t, tc.payload, payload)

			// Every shorter prefix of the header asks for more bytes.
			for i := range n {
				_, got, err := ParseFrameHeader(wire[:i])
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "%d of %d header bytes", i, n)
				assert.Zero(t, got)
			}

			// Encoding the same header and payload gives the same bytes.
			out := AppendFrameHeader(nil, h)
			assert.Equal(t, wire[:n], out)
		})
	}
}

// TestParseFrameHeaderShowsWhatWasSent: the parser of an inspector reports
// what a Conn would refuse, rather than refusing it: RSV bits, a reserved
// opcode, a length in a longer form than needed.
func TestParseFrameHeaderShowsWhatWasSent(t *testing.T) {
	cases := []struct {
		name string
		wire []byte
		want FrameHeader
	}{
		{"RSV1 (permessage-deflate)", []byte{0xC1, 0x00}, FrameHeader{Fin: true, RSV: 4, Opcode: OpText, LengthBits: 7, Size: 2}},
		{"all three RSV bits", []byte{0xF2, 0x00}, FrameHeader{Fin: true, RSV: 7, Opcode: OpBinary, LengthBits: 7, Size: 2}},
		{"reserved opcode 0xB", []byte{0x8B, 0x00}, FrameHeader{Fin: true, Opcode: 0xB, LengthBits: 7, Size: 2}},
		{"5 bytes in the 16-bit form", []byte{0x82, 0x7E, 0x00, 0x05}, FrameHeader{Fin: true, Opcode: OpBinary, Length: 5, LengthBits: 16, Size: 4}},
		{"a masked 64-bit length", []byte{0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0x11, 0x70, 1, 2, 3, 4},
			FrameHeader{Fin: true, Opcode: OpBinary, Masked: true, Length: 70000, LengthBits: 64, Key: [4]byte{1, 2, 3, 4}, Size: 14}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, n, err := ParseFrameHeader(append(tc.wire, 0xEE)) // a payload byte follows
			require.NoError(t, err)
			assert.Equal(t, tc.want, h)
			assert.Equal(t, len(tc.wire), n)
		})
	}
}

func TestOpcodeName(t *testing.T) {
	names := map[Opcode]string{
		OpContinuation: "continuation", OpText: "text", OpBinary: "binary",
		OpClose: "close", OpPing: "ping", OpPong: "pong", 0x3: "reserved 0x3", 0xF: "reserved 0xf",
	}
	for op, want := range names {
		assert.Equal(t, want, op.Name())
	}
}

func TestParseCloseBody(t *testing.T) {
	cases := []struct {
		name   string
		body   []byte
		code   int
		reason string
		fault  int // the close code a Conn would fail with; 0 for none
	}{
		{"empty: no status", nil, CloseNoStatus, "", 0},
		{"1000, no reason", []byte{0x03, 0xe8}, CloseNormal, "", 0},
		{"1001 with a reason", append([]byte{0x03, 0xe9}, "server shutting down"...), CloseGoingAway, "server shutting down", 0},
		{"one byte", []byte{0x03}, 0, "", CloseProtocolError},
		{"1005 may not be sent", []byte{0x03, 0xed}, 0, "", CloseProtocolError},
		{"a reason that is not UTF-8", []byte{0x03, 0xe8, 0xff}, 0, "", CloseInvalidData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, reason, err := ParseCloseBody(tc.body)
			if tc.fault != 0 {
				ce, ok := err.(*CloseError)
				require.True(t, ok, "want a *CloseError, got %v", err)
				assert.Equal(t, tc.fault, ce.Code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.reason, reason)
		})
	}
}
