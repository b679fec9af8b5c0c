//go:build mutant && mutant_reader_pos_reset

// Mistake: every Read unmasks as if the payload started there: the position is not kept between Reads.

package mask

import "io"

// Mask XORs b in place with key, starting at byte pos of the payload
// (RFC 6455 §5.3), and returns the position to continue from.
func Mask(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[(pos+i)%4]
	}
	return pos + len(b)
}

// NewReader returns a reader of the payload that r yields masked with key:
// every Read unmasks the bytes it returns, however r splits them.
func NewReader(r io.Reader, key [4]byte) io.Reader {
	return &reader{r: r, key: key}
}

// reader unmasks what it reads; pos is the payload's position so far.
type reader struct {
	r   io.Reader
	key [4]byte
	pos int
}

// Read reads from the masked stream and unmasks the n bytes it got, even
// when they come with an error.
func (m *reader) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	Mask(m.key, 0, p[:n])
	return n, err
}
