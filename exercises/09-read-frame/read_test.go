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
		rule string
	}{
		{"unmasked text", []byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}, Frame{true, 1, []byte("Hello")},
			"§5.7: a single-frame unmasked text message"},
		{"masked text", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, Frame{true, 1, []byte("Hello")},
			"§5.7: a masked \"Hello\"; §5.3: unmask with key byte i mod 4, once"},
		{"first fragment", []byte{0x01, 0x03, 'H', 'e', 'l'}, Frame{false, 1, []byte("Hel")},
			"§5.7: a fragment with FIN=0"},
		{"ping", []byte{0x89, 0x05, 'H', 'e', 'l', 'l', 'o'}, Frame{true, 9, []byte("Hello")},
			"§5.7: an unmasked ping"},
		{"256 bytes, 16-bit length", append([]byte{0x82, 0x7E, 0x01, 0x00}, bytes.Repeat([]byte{7}, 256)...), Frame{true, 2, bytes.Repeat([]byte{7}, 256)},
			"§5.2: a 7-bit length of 126 means the next 2 bytes are the length, big-endian"},
		{"65536 bytes, 64-bit length", append([]byte{0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0}, bytes.Repeat([]byte{7}, 65536)...), Frame{true, 2, bytes.Repeat([]byte{7}, 65536)},
			"§5.2: a 7-bit length of 127 means the next 8 bytes are the length, big-endian"},
		{"masked, 16-bit length", append([]byte{0x82, 0xFE, 0x00, 0x80, 1, 2, 3, 4}, bytes.Repeat([]byte{1, 2, 3, 4}, 32)...), Frame{true, 2, make([]byte, 128)},
			"§5.2: the masking key follows the extended length"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadFrame(bytes.NewReader(tc.wire))
			require.NoError(t, err, "RFC 6455 %s", tc.rule)
			assert.Equal(t, tc.want, got, "RFC 6455 %s", tc.rule)
		})
	}
}

func TestReadFrameErrors(t *testing.T) {
	cases := []struct {
		name string
		wire []byte
		want error
		rule string
	}{
		{"header cut short", []byte{0x81}, io.ErrUnexpectedEOF, "a frame cut short is io.ErrUnexpectedEOF"},
		{"extended length cut short", []byte{0x82, 0x7E, 0x01}, io.ErrUnexpectedEOF, "a frame cut short is io.ErrUnexpectedEOF"},
		{"masking key cut short", []byte{0x81, 0x85, 0x37, 0xfa}, io.ErrUnexpectedEOF, "a frame cut short is io.ErrUnexpectedEOF"},
		{"payload cut short", []byte{0x81, 0x05, 'H', 'e'}, io.ErrUnexpectedEOF, "a frame cut short is io.ErrUnexpectedEOF"},
		{"a forged 2^63 length", []byte{0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, ErrTooBig,
			"RFC 6455 §10.4: an endpoint limits the frame size it accepts; a header can claim 2^63 bytes it never sends"},
		{"MaxPayload+1 claimed, nothing sent", []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0x10, 0x00, 0x01}, ErrTooBig,
			"RFC 6455 §10.4: refuse a length over the limit from the header alone, before waiting for the payload"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrame(bytes.NewReader(tc.wire))
			assert.ErrorIs(t, err, tc.want, tc.rule)
		})
	}
}

// TestReadFrameAtTheLimit: MaxPayload bytes is allowed, one more is not.
func TestReadFrameAtTheLimit(t *testing.T) {
	wire := append([]byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0x10, 0x00, 0x00}, make([]byte, MaxPayload)...)
	f, err := ReadFrame(bytes.NewReader(wire))
	require.NoError(t, err, "a payload of exactly MaxPayload bytes is within the limit")
	assert.Len(t, f.Payload, MaxPayload)
}

// TestReadFrameRefusesBeforeReading: a frame over the limit is refused
// having read only its header, so a peer cannot make the server read (or
// allocate) what the header claims.
func TestReadFrameRefusesBeforeReading(t *testing.T) {
	header := []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0x10, 0x00, 0x01}
	r := bytes.NewReader(append(header, make([]byte, MaxPayload+1)...))
	_, err := ReadFrame(r)
	require.ErrorIs(t, err, ErrTooBig, "RFC 6455 §10.4: a frame over the limit is refused")
	assert.Equal(t, len(header), int(r.Size())-r.Len(),
		"RFC 6455 §10.4: ReadFrame must refuse from the header alone, before reading any of the payload")
}
