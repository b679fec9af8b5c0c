//go:build !solution && !mutant

package mask

import "io"

// Mask XORs b in place with key, starting at byte pos of the payload
// (RFC 6455 §5.3), and returns the position to continue from.
func Mask(key [4]byte, pos int, b []byte) int {
	return 0 // TODO
}

// NewReader returns a reader of the payload that r yields masked with key:
// every Read unmasks the bytes it returns, however r splits them.
func NewReader(r io.Reader, key [4]byte) io.Reader {
	return r // TODO
}
