//go:build !solution && !mutant

package header

// Append appends the encoding of h to b, with the shortest length form.
func Append(b []byte, h Header) []byte {
	return b // TODO
}

// Parse decodes the frame header at the start of b (RFC 6455 §5.2) and
// returns it with its size in bytes; the payload, if b holds any, is left
// alone. If b holds only the start of a header, err is ErrShort and n is
// the number of bytes to have before calling again: 2 until the second
// byte is there, then the whole header's size. A length in a longer form
// than it needs is ErrNonMinimal; a 64-bit length with its top bit set is
// ErrTooLong.
func Parse(b []byte) (h Header, n int, err error) {
	return Header{}, 0, nil // TODO
}
