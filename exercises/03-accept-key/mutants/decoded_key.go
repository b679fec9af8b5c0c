//go:build mutant && mutant_decoded_key

// Mistake: the key is base64-decoded before hashing, not hashed as the text the client sent.

package acceptkey

import (
	"crypto/sha1"
	"encoding/base64"
)

const guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey returns the Sec-WebSocket-Accept value for a client's
// Sec-WebSocket-Key (RFC 6455 §4.2.2).
func AcceptKey(key string) string {
	raw, _ := base64.StdEncoding.DecodeString(key)
	sum := sha1.Sum(append(raw, guid...))
	return base64.StdEncoding.EncodeToString(sum[:])
}
