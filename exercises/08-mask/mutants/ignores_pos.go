//go:build mutant && mutant_ignores_pos

// Mistake: each piece is masked as if it started the payload: key[i%4], not key[(pos+i)%4].

package mask

// Mask XORs b in place with key, starting at byte pos of the payload
// (RFC 6455 §5.3), and returns the position to continue from.
func Mask(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[i%4]
	}
	return pos + len(b)
}
