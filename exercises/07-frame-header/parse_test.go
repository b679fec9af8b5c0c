package header

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseRoundTrip: Parse reads back what Append wrote, at every length
// form's edges, masked and not, and leaves the payload after it alone.
func TestParseRoundTrip(t *testing.T) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, length := range []uint64{0, 1, 125, 126, 65535, 65536, 1 << 32, 1<<63 - 1} {
		for _, h := range []Header{
			{Fin: true, Opcode: 2, Length: length},
			{Opcode: 1, Masked: true, Key: key, Length: length},
		} {
			t.Run(fmt.Sprintf("length %d masked %v", length, h.Masked), func(t *testing.T) {
				enc := Append(nil, h)
				got, n, err := Parse(append(enc, "payload"...))
				require.NoError(t, err, "RFC 6455 §5.2: a header Append wrote is valid")
				assert.Equal(t, len(enc), n, "RFC 6455 §5.2: the header's size is 2 bytes, the extended length and the key; the payload after it is not part of it")
				assert.Equal(t, h, got, "RFC 6455 §5.2: Parse reads back every field Append wrote")
			})
		}
	}
}

func TestParseRFCExamples(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		want Header
		n    int
	}{
		{"unmasked Hello", []byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}, Header{Fin: true, Opcode: 1, Length: 5}, 2},
		{"masked Hello", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58},
			Header{Fin: true, Opcode: 1, Masked: true, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}, Length: 5}, 6},
		{"first fragment of Hel", []byte{0x01, 0x03, 'H', 'e', 'l'}, Header{Opcode: 1, Length: 3}, 2},
		{"ping", []byte{0x89, 0x05, 'H', 'e', 'l', 'l', 'o'}, Header{Fin: true, Opcode: 9, Length: 5}, 2},
		{"256 bytes of binary", []byte{0x82, 0x7E, 0x01, 0x00}, Header{Fin: true, Opcode: 2, Length: 256}, 4},
		{"64 KiB of binary", []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0}, Header{Fin: true, Opcode: 2, Length: 65536}, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, n, err := Parse(tc.b)
			require.NoError(t, err, "RFC 6455 §5.7: this example frame is valid")
			assert.Equal(t, tc.want, got, "RFC 6455 §5.7: the example %s", tc.name)
			assert.Equal(t, tc.n, n, "RFC 6455 §5.2: the size of the header of %s", tc.name)
		})
	}
}

// TestParseShort: every prefix of a header is ErrShort, with the number of
// bytes to wait for.
func TestParseShort(t *testing.T) {
	key := [4]byte{1, 2, 3, 4}
	for _, h := range []Header{
		{Fin: true, Opcode: 2, Length: 5},
		{Fin: true, Opcode: 2, Masked: true, Key: key, Length: 5},
		{Fin: true, Opcode: 2, Length: 300},
		{Fin: true, Opcode: 2, Masked: true, Key: key, Length: 300},
		{Fin: true, Opcode: 2, Length: 70000},
		{Fin: true, Opcode: 2, Masked: true, Key: key, Length: 70000},
	} {
		enc := Append(nil, h)
		require.NotEmpty(t, enc, "Append must work before Parse can be tested")
		for cut := range len(enc) {
			t.Run(fmt.Sprintf("%d of %d bytes, masked %v", cut, len(enc), h.Masked), func(t *testing.T) {
				_, n, err := Parse(enc[:cut])
				require.ErrorIs(t, err, ErrShort, "%d bytes of a %d-byte header are not a header yet", cut, len(enc))
				want := len(enc)
				if cut < 2 {
					want = 2
				}
				assert.Equal(t, want, n,
					"RFC 6455 §5.2: the first 2 bytes say how long the header is: the extended length (0, 2 or 8 bytes) and, if MASK=1, the 4-byte key; "+
						"with %d bytes in hand, wait for %d", cut, want)
			})
		}
	}
}

func TestParseRefuses(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		want error
		rule string
	}{
		{"5 in the 16-bit form", []byte{0x82, 126, 0x00, 0x05}, ErrNonMinimal, "a length of 0–125 must use the 7-bit form"},
		{"125 in the 16-bit form", []byte{0x82, 126, 0x00, 125}, ErrNonMinimal, "125 fits in 7 bits, so the 16-bit form is not the minimal one"},
		{"125 in the 64-bit form", []byte{0x82, 127, 0, 0, 0, 0, 0, 0, 0, 125}, ErrNonMinimal, "a length of 0–125 must use the 7-bit form"},
		{"65535 in the 64-bit form", []byte{0x82, 127, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, ErrNonMinimal, "65535 fits in 16 bits, so the 64-bit form is not the minimal one"},
		{"a masked 300 in the 64-bit form", []byte{0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0x01, 0x2C, 1, 2, 3, 4}, ErrNonMinimal, "the minimal form is required of masked frames too"},
		{"2^63 bytes", []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0}, ErrTooLong, "the most significant bit of a 64-bit length must be 0"},
		{"2^64-1 bytes", []byte{0x82, 127, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, ErrTooLong, "the most significant bit of a 64-bit length must be 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse(tc.b)
			assert.ErrorIs(t, err, tc.want, "RFC 6455 §5.2: %s", tc.rule)
		})
	}
}
