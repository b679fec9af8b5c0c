//go:build !solution && !mutant

package deflate

import "net/http"

// Negotiate reads a handshake's Sec-WebSocket-Extensions offers (RFC 7692
// §5) and returns the value of the response's Sec-WebSocket-Extensions
// header that accepts the first permessage-deflate offer it supports, with
// the parameters it agrees to; ok is false if it accepts none.
func Negotiate(h http.Header) (response string, ok bool) {
	return "", false // TODO
}
