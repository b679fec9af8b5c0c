//go:build mutant && mutant_key_mod_3

// Mistake: the key index wraps at 3 instead of 4.

package mask

// Mask XORs b in place with key, starting at byte pos of the payload
// (RFC 6455 §5.3), and returns the position to continue from.
func Mask(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[(pos+i)%3]
	}
	return pos + len(b)
}
