package response

import (
	"bufio"
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteResponseBytes(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteResponse(&b, "f7cb4ezEAl6C3wRaU6JORA=="))
	assert.Equal(t, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: rE91AJhfC+6JdVcVXOGJEADEJdQ=\r\n\r\n", b.String(),
		"RFC 6455 §4.2.2 item 5 (and §1.3): the status line, Upgrade, Connection and Sec-WebSocket-Accept, each line ending in CR LF")
}

func TestWriteResponseLinesEndInCRLF(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteResponse(&b, "f7cb4ezEAl6C3wRaU6JORA=="))
	s := b.String()
	assert.Equal(t, strings.Count(s, "\n"), strings.Count(s, "\r\n"),
		"RFC 9112 §2.1 (HTTP/1.1, which RFC 6455 §4.2.2 answers in): every line of an HTTP response ends in CR LF, not a bare LF")
	assert.True(t, strings.HasSuffix(s, "\r\n\r\n"), "RFC 9112 §2.1: an empty line (CR LF) ends the header fields; got %q", s)
}

func TestWriteResponseParses(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteResponse(&b, "dGhlIHNhbXBsZSBub25jZQ=="))
	resp, err := http.ReadResponse(bufio.NewReader(&b), nil)
	require.NoError(t, err, "Go's HTTP client must be able to read it")
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, "RFC 6455 §4.2.2 item 5.1: the status is 101")
	assert.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", resp.Header.Get("Sec-WebSocket-Accept"),
		"RFC 6455 §4.2.2 item 5.4: base64(SHA-1(key + GUID)); for the key of §1.3 that is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
	assert.Zero(t, b.Len(), "nothing after the blank line: the next bytes on the wire are frames (§4.2.2)")
}
