//go:build mutant && mutant_returns_piece_length

// Mistake: it returns the length of the piece, not the position after it.

package mask

// Mask XORs b in place with key, starting at byte pos of the payload
// (RFC 6455 §5.3), and returns the position to continue from.
func Mask(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[(pos+i)%4]
	}
	return len(b)
}
