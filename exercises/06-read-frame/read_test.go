package readframe

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFrameRFCExamples(t *testing.T) {
	cases := []struct {
		name string
		wire []byte
		want Frame
	}{
		{"unmasked text", []byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}, Frame{true, 1, []byte("Hello")}},
		{"masked text", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, Frame{true, 1, []byte("Hello")}},
		{"first fragment", []byte{0x01, 0x03, 'H', 'e', 'l'}, Frame{false, 1, []byte("Hel")}},
		{"ping", []byte{0x89, 0x05, 'H', 'e', 'l', 'l', 'o'}, Frame{true, 9, []byte("Hello")}},
		{"256 bytes, 16-bit length", append([]byte{0x82, 0x7E, 0x01, 0x00}, make([]byte, 256)...), Frame{true, 2, make([]byte, 256)}},
		{"65536 bytes, 64-bit length", append([]byte{0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0}, make([]byte, 65536)...), Frame{true, 2, make([]byte, 65536)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadFrame(bytes.NewReader(tc.wire))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestReadFrameErrors(t *testing.T) {
	cases := []struct {
		name string
		wire []byte
		want error
	}{
		{"header cut short", []byte{0x81}, io.ErrUnexpectedEOF},
		{"payload cut short", []byte{0x81, 0x05, 'H', 'e'}, io.ErrUnexpectedEOF},
		{"a forged 2^63 length", []byte{0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, ErrTooBig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrame(bytes.NewReader(tc.wire))
			assert.ErrorIs(t, err, tc.want)
		})
	}
}
