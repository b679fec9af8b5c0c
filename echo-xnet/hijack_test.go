package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestFrameBehindHandshake: a client may send its first frame in the same
// TCP segment as its handshake. net/http has then read it already; the
// hijack must hand it to x/net through the wire, or it is lost.
func TestFrameBehindHandshake(t *testing.T) {
	url := startEcho(t, &echoServer{prefix: prefix, tracker: webtest.NewRecorder()})
	host := strings.TrimPrefix(url, "ws://")
	req := "GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	c, resp := webtest.RequestRaw(t, host, req+string(webtest.ClientFrame(websocket.TextMessage, []byte("early"))))
	require.Equal(t, 101, resp.StatusCode)
	c.SetReadDeadline(time.Now().Add(testBound))
	op, got, err := c.ReadFrame()
	require.NoError(t, err)
	assert.Equal(t, byte(websocket.TextMessage), op)
	assert.Equal(t, "Received: early", string(got))
}
