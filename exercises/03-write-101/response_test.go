package response

import (
	"bufio"
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteResponseBytes(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteResponse(&b, "f7cb4ezEAl6C3wRaU6JORA=="))
	assert.Equal(t, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: rE91AJhfC+6JdVcVXOGJEADEJdQ=\r\n\r\n", b.String())
}

func TestWriteResponseParses(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteResponse(&b, "dGhlIHNhbXBsZSBub25jZQ=="))
	resp, err := http.ReadResponse(bufio.NewReader(&b), nil)
	require.NoError(t, err, "Go's HTTP client must be able to read it")
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	assert.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", resp.Header.Get("Sec-WebSocket-Accept"))
	assert.Zero(t, b.Len(), "nothing after the blank line")
}
