package handshake

import "encoding/binary"

// ANCHOR: mask-words

// maskWords is mask eight bytes at a time: the same XOR with the key
// repeated (§5.3), on a uint64 instead of a byte. The key is first turned
// to start at pos, so the words line up with the payload; eight is a
// multiple of four, so every word starts at key octet 0 again. The main
// loop takes four words per turn, so the loop's own work (the bounds
// check, the jump) is paid once per 32 bytes. The frames use it; mask, the
// rule written plainly, is what TestMaskWords checks it against
// (go test -bench Mask ./handshake measures both).
func maskWords(key [4]byte, pos int, b []byte) int {
	end := pos + len(b)
	kw := turnedKey(key, pos)
	for len(b) >= 32 {
		v := b[:32:32]
		binary.LittleEndian.PutUint64(v[0:], binary.LittleEndian.Uint64(v[0:])^kw)
		binary.LittleEndian.PutUint64(v[8:], binary.LittleEndian.Uint64(v[8:])^kw)
		binary.LittleEndian.PutUint64(v[16:], binary.LittleEndian.Uint64(v[16:])^kw)
		binary.LittleEndian.PutUint64(v[24:], binary.LittleEndian.Uint64(v[24:])^kw)
		b = b[32:]
	}
	for len(b) >= 8 {
		binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^kw)
		b = b[8:]
	}
	for i := range b {
		b[i] ^= byte(kw >> (8 * i))
	}
	return end
}

// turnedKey is the key repeated into eight bytes, starting at octet pos&3,
// read as a little-endian uint64: byte i of the word masks byte pos+i.
func turnedKey(key [4]byte, pos int) uint64 {
	var k [8]byte
	for i := range k {
		k[i] = key[(pos+i)&3]
	}
	return binary.LittleEndian.Uint64(k[:])
}

// ANCHOR_END: mask-words

// ANCHOR: mask-copy

// maskCopy copies src to the front of dst masked as the bytes from pos of
// a payload, in one pass: what a client's frame needs (its payload is the
// caller's, and must not be masked in place), without a copy first and a
// mask after. dst must hold len(src) bytes. It returns pos+len(src), for
// the next piece.
func maskCopy(key [4]byte, pos int, dst, src []byte) int {
	end := pos + len(src)
	kw := turnedKey(key, pos)
	dst = dst[:len(src)]
	for len(src) >= 32 {
		s, d := src[:32:32], dst[:32:32]
		binary.LittleEndian.PutUint64(d[0:], binary.LittleEndian.Uint64(s[0:])^kw)
		binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(s[8:])^kw)
		binary.LittleEndian.PutUint64(d[16:], binary.LittleEndian.Uint64(s[16:])^kw)
		binary.LittleEndian.PutUint64(d[24:], binary.LittleEndian.Uint64(s[24:])^kw)
		src, dst = src[32:], dst[32:]
	}
	for len(src) >= 8 {
		binary.LittleEndian.PutUint64(dst, binary.LittleEndian.Uint64(src)^kw)
		src, dst = src[8:], dst[8:]
	}
	for i := range src {
		dst[i] = src[i] ^ byte(kw>>(8*i))
	}
	return end
}

// ANCHOR_END: mask-copy
