package mask

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
)

var payload = []byte("a payload that arrives in pieces, as TCP hands it over")

// masked returns payload masked with key, masked by a reference loop.
func masked() []byte {
	b := append([]byte(nil), payload...)
	for i := range b {
		b[i] ^= key[i%4]
	}
	return b
}

// readAll reads r to its end into buffers of size n, as a frame reader
// with a small buffer does.
func readAll(t *testing.T, r io.Reader, n int) ([]byte, error) {
	t.Helper()
	var out []byte
	buf := make([]byte, n)
	for range 1000 {
		k, err := r.Read(buf)
		out = append(out, buf[:k]...)
		if err != nil {
			return out, err
		}
	}
	t.Fatal("the reader never reached the end of a 55-byte payload")
	return nil, nil
}

func TestReaderUnmasks(t *testing.T) {
	cases := []struct {
		name string
		r    func(io.Reader) io.Reader
		buf  int
	}{
		{"one read", func(r io.Reader) io.Reader { return r }, 512},
		{"one byte at a time", iotest.OneByteReader, 512},
		{"half of what was asked", iotest.HalfReader, 7},
		{"the last bytes come with io.EOF", iotest.DataErrReader, 512},
		{"a 3-byte buffer", func(r io.Reader) io.Reader { return r }, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, NewReader(tc.r(bytes.NewReader(masked())), key), tc.buf)
			assert.ErrorIs(t, err, io.EOF)
			assert.Equal(t, string(payload), string(got),
				"RFC 6455 §5.3: byte i of the payload (not of one Read) is XORed with key byte i mod 4, however the reads split it")
		})
	}
}

// shortReader returns at most 3 bytes a Read, whatever the buffer, and
// then fails with errCut (after the last bytes, in the same Read).
type shortReader struct{ b []byte }

var errCut = errors.New("connection reset")

func (s *shortReader) Read(p []byte) (int, error) {
	n := copy(p, s.b[:min(3, len(s.b))])
	s.b = s.b[n:]
	if len(s.b) == 0 {
		return n, errCut
	}
	return n, nil
}

func TestReaderShortReads(t *testing.T) {
	got, err := readAll(t, NewReader(&shortReader{masked()}, key), 8)
	assert.ErrorIs(t, err, errCut, "the underlying reader's error is passed on")
	assert.Equal(t, string(payload), string(got),
		"RFC 6455 §5.3: a Read that returns n bytes into a larger buffer moves the payload position by n, not by len(p); "+
			"and the bytes that come with an error are unmasked too (io.Reader: process n > 0 bytes before the error)")
}
