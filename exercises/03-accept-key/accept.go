//go:build !solution && !mutant

package acceptkey

// ANCHOR: stub

// AcceptKey returns the Sec-WebSocket-Accept value for a client's
// Sec-WebSocket-Key (RFC 6455 §4.2.2).
func AcceptKey(key string) string {
	return "" // TODO: SHA-1 of key + the GUID, base64-encoded
}

// ANCHOR_END: stub
