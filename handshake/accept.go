package handshake

import (
	"crypto/sha1"
	"encoding/base64"
)

// ANCHOR: accept

// GUID is the fixed string of RFC 6455 §1.3 that the server appends to the
// client's key. A server that answers with the right value proves that it
// read the handshake and speaks WebSocket; a plain HTTP server, or a cache
// replaying an old answer, cannot.
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey returns the Sec-WebSocket-Accept value for a Sec-WebSocket-Key
// (RFC 6455 §4.2.2, step 5.4): the base64 of the SHA-1 of key + GUID. The
// key is used as the client sent it, base64 text and all; it is not decoded.
func AcceptKey(key string) string {
	sum := sha1.Sum([]byte(key + GUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// ANCHOR_END: accept
