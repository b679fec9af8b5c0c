package handshake

// ANCHOR: mask

// mask XORs b in place with the 4-byte masking key, starting at byte pos of
// the payload (RFC 6455 §5.3): octet i of the payload is XORed with octet
// i mod 4 of the key. The same call masks and unmasks. It returns the
// position to continue from, so a payload can be (un)masked in pieces.
//
// Why clients mask: a browser script chooses the bytes it sends. Without a
// mask it could write bytes that look like an HTTP request to a proxy that
// does not understand WebSocket, and poison its cache (§10.3). With a fresh
// random key per frame, the script cannot predict a single byte on the wire.
func mask(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[(pos+i)&3]
	}
	return pos + len(b)
}

// ANCHOR_END: mask
