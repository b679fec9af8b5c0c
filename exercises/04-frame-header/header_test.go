package header

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendLengths(t *testing.T) {
	cases := []struct {
		name string
		h    Header
		want []byte
	}{
		{"empty text", Header{Fin: true, Opcode: 1}, []byte{0x81, 0x00}},
		{"125 bytes: 7-bit length", Header{Fin: true, Opcode: 2, Length: 125}, []byte{0x82, 125}},
		{"126 bytes: 16-bit length", Header{Fin: true, Opcode: 2, Length: 126}, []byte{0x82, 126, 0x00, 0x7E}},
		{"65535 bytes: 16-bit length", Header{Fin: true, Opcode: 2, Length: 65535}, []byte{0x82, 126, 0xFF, 0xFF}},
		{"65536 bytes: 64-bit length", Header{Fin: true, Opcode: 2, Length: 65536}, []byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}},
		{"first fragment, FIN clear", Header{Opcode: 1, Length: 3}, []byte{0x01, 0x03}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Append(nil, tc.h))
		})
	}
}

func TestAppendMasked(t *testing.T) {
	// RFC 6455 §5.7: a masked text frame of 5 bytes, key 37 fa 21 3d.
	h := Header{Fin: true, Opcode: 1, Masked: true, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}, Length: 5}
	assert.Equal(t, []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d}, Append(nil, h))
	assert.Equal(t, []byte{0xAA, 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d}, Append([]byte{0xAA}, h), "append, do not overwrite")
}
