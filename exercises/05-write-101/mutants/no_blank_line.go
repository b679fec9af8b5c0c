//go:build mutant && mutant_no_blank_line

// Mistake: the blank line that ends the headers is missing.

package response

import (
	"crypto/sha1"
	"encoding/base64"
	"io"
)

// WriteResponse writes the server's answer to a good handshake whose
// Sec-WebSocket-Key is key, byte for byte, to w.
func WriteResponse(w io.Writer, key string) error {
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	_, err := io.WriteString(w, "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "+base64.StdEncoding.EncodeToString(sum[:])+"\r\n")
	return err
}
