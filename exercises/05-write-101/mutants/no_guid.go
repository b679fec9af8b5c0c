//go:build mutant && mutant_no_guid

// Mistake: the key is hashed alone, without the GUID appended.

package response

import (
	"crypto/sha1"
	"encoding/base64"
	"io"
)

// WriteResponse writes the server's answer to a good handshake whose
// Sec-WebSocket-Key is key, byte for byte, to w.
func WriteResponse(w io.Writer, key string) error {
	sum := sha1.Sum([]byte(key))
	_, err := io.WriteString(w, "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "+base64.StdEncoding.EncodeToString(sum[:])+"\r\n\r\n")
	return err
}
