//go:build !solution && !mutant

package mask

// Mask XORs b in place with key, starting at byte pos of the payload
// (RFC 6455 §5.3), and returns the position to continue from.
func Mask(key [4]byte, pos int, b []byte) int {
	return 0 // TODO
}
