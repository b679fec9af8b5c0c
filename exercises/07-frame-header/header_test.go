package header

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendLengths(t *testing.T) {
	cases := []struct {
		name string
		h    Header
		want []byte
		rule string
	}{
		{"empty text", Header{Fin: true, Opcode: 1}, []byte{0x81, 0x00},
			"FIN is the top bit of byte 0, the opcode its low four bits, and a length of 0 fits in 7 bits"},
		{"125 bytes: 7-bit length", Header{Fin: true, Opcode: 2, Length: 125}, []byte{0x82, 125},
			"a length of 0–125 is the 7-bit length itself"},
		{"126 bytes: 16-bit length", Header{Fin: true, Opcode: 2, Length: 126}, []byte{0x82, 126, 0x00, 0x7E},
			"a length of 126–65535 is the 7-bit value 126, then 2 bytes in network (big-endian) order"},
		{"65535 bytes: 16-bit length", Header{Fin: true, Opcode: 2, Length: 65535}, []byte{0x82, 126, 0xFF, 0xFF},
			"65535 is the largest length of the 16-bit form"},
		{"65536 bytes: 64-bit length", Header{Fin: true, Opcode: 2, Length: 65536}, []byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0},
			"a length over 65535 is the 7-bit value 127, then 8 bytes in network (big-endian) order"},
		{"first fragment, FIN clear", Header{Opcode: 1, Length: 3}, []byte{0x01, 0x03},
			"FIN=0 on every fragment but the last"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Append(nil, tc.h), "RFC 6455 §5.2: %s", tc.rule)
		})
	}
}

// TestAppendMasked: a client masks every frame, whatever its length, and
// the key follows the (extended) length.
func TestAppendMasked(t *testing.T) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d} // RFC 6455 §5.7
	cases := []struct {
		length  uint64
		lenSize int // bytes of extended length
	}{{0, 0}, {5, 0}, {125, 0}, {126, 2}, {65535, 2}, {65536, 8}}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.length), func(t *testing.T) {
			got := Append(nil, Header{Fin: true, Opcode: 2, Masked: true, Key: key, Length: tc.length})
			require.Len(t, got, 2+tc.lenSize+4,
				"RFC 6455 §5.2: a masked header of length %d is 2 bytes, %d of extended length and the 4-byte key", tc.length, tc.lenSize)
			assert.Equal(t, byte(0x80), got[1]&0x80,
				"RFC 6455 §5.2: a client frame must have MASK=1 at every length; got MASK=0 for length %d", tc.length)
			assert.Equal(t, key[:], got[2+tc.lenSize:],
				"RFC 6455 §5.2: the masking key comes right after the length, for length %d", tc.length)
		})
	}
}

func TestAppendRFCExample(t *testing.T) {
	// RFC 6455 §5.7: a masked text frame of 5 bytes, key 37 fa 21 3d.
	h := Header{Fin: true, Opcode: 1, Masked: true, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}, Length: 5}
	assert.Equal(t, []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d}, Append(nil, h), "RFC 6455 §5.7: the header of the masked \"Hello\"")
	assert.Equal(t, []byte{0xAA, 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d}, Append([]byte{0xAA}, h),
		"Append adds to the end of b, keeping what b held (like the built-in append)")
}
