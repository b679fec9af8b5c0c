package handshake

import "encoding/binary"

// ANCHOR: mask-words

// maskWords is mask eight bytes at a time: the same XOR with the key
// repeated (§5.3), on a uint64 instead of a byte. The key is first turned
// to start at pos, so the words line up with the payload; eight is a
// multiple of four, so every word starts at key octet 0 again. The frames
// use it; mask, the rule written plainly, is what TestMaskWords checks it
// against. On a 64 KiB payload it is about eight times faster
// (go test -bench Mask ./handshake).
func maskWords(key [4]byte, pos int, b []byte) int {
	end := pos + len(b)
	var k [8]byte
	for i := range k {
		k[i] = key[(pos+i)&3]
	}
	kw := binary.LittleEndian.Uint64(k[:])
	for len(b) >= 8 {
		binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^kw)
		b = b[8:]
	}
	for i := range b {
		b[i] ^= k[i]
	}
	return end
}

// ANCHOR_END: mask-words
