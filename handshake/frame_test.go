package handshake

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rfcKey is the masking key of the examples in RFC 6455 §5.7.
var rfcKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// TestRFCExamples decodes and re-encodes the example frames of RFC 6455
// §5.7, byte for byte.
func TestRFCExamples(t *testing.T) {
	cases := []struct {
		name    string
		wire    string // hex, header then payload, as printed in the RFC
		fin     bool
		op      Opcode
		masked  bool
		payload []byte
	}{
		{"single-frame unmasked text", "81 05 48 65 6c 6c 6f", true, OpText, false, []byte("Hello")},
		{"single-frame masked text", "81 85 37 fa 21 3d 7f 9f 4d 51 58", true, OpText, true, []byte("Hello")},
		{"fragmented unmasked text, first", "01 03 48 65 6c", false, OpText, false, []byte("Hel")},
		{"fragmented unmasked text, last", "80 02 6c 6f", true, OpContinuation, false, []byte("lo")},
		{"unmasked ping", "89 05 48 65 6c 6c 6f", true, OpPing, false, []byte("Hello")},
		{"masked pong", "8a 85 37 fa 21 3d 7f 9f 4d 51 58", true, OpPong, true, []byte("Hello")},
		{"256 bytes binary, 16-bit length", "82 7e 01 00" + strings.Repeat(" 00", 256), true, OpBinary, false, make([]byte, 256)},
		{"64 KiB binary, 64-bit length", "82 7f 00 00 00 00 00 01 00 00" + strings.Repeat(" 00", 65536), true, OpBinary, false, make([]byte, 65536)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wire, err := hex.DecodeString(strings.ReplaceAll(tc.wire, " ", ""))
			require.NoError(t, err)

			var h header
			var scratch [maxHeaderLen]byte
			r := bytes.NewReader(wire)
			require.NoError(t, readHeader(r, &scratch, &h))
			assert.Equal(t, tc.fin, h.fin)
			assert.Equal(t, tc.op, h.op)
			assert.Equal(t, tc.masked, h.masked)
			require.Equal(t, uint64(len(tc.payload)), h.length)
			payload := bytes.Clone(wire[len(wire)-r.Len():])
			if h.masked {
				assert.Equal(t, rfcKey, h.key)
				mask(h.key, 0, payload)
			}
			assert.Equal(t, tc.payload, payload)

			// Encoding the same header and payload gives the same bytes.
			out := appendHeader(nil, &h)
			body := append([]byte(nil), tc.payload...)
			if h.masked {
				mask(h.key, 0, body)
			}
			assert.Equal(t, wire, append(out, body...))
		})
	}
}

func TestHeaderLengthEncodings(t *testing.T) {
	cases := []struct {
		length uint64
		size   int // header bytes, unmasked
	}{
		{0, 2}, {125, 2}, {126, 4}, {127, 4}, {65535, 4}, {65536, 10}, {1 << 40, 10},
	}
	for _, tc := range cases {
		h := header{fin: true, op: OpBinary, length: tc.length}
		b := appendHeader(nil, &h)
		assert.Len(t, b, tc.size, "length %d", tc.length)
		var got header
		var scratch [maxHeaderLen]byte
		require.NoError(t, readHeader(bytes.NewReader(b), &scratch, &got))
		assert.Equal(t, h, got, "length %d", tc.length)
	}
}

func TestMaskInPieces(t *testing.T) {
	payload := []byte("a payload masked in three pieces")
	whole := append([]byte(nil), payload...)
	mask(rfcKey, 0, whole)

	pieces := append([]byte(nil), payload...)
	pos := mask(rfcKey, 0, pieces[:5])
	pos = mask(rfcKey, pos, pieces[5:11])
	mask(rfcKey, pos, pieces[11:])
	assert.Equal(t, whole, pieces)

	mask(rfcKey, 0, whole)
	assert.Equal(t, payload, whole, "masking twice gives the payload back")
}
