package webtest

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xnet "golang.org/x/net/websocket"
)

// ioTimeout bounds every read and write a contract test makes, so a server
// that fails to answer fails the test instead of hanging it.
const ioTimeout = 10 * time.Second

// maxMessage is the contract's message limit: 1 MiB.
const maxMessage = 1 << 20

// EchoContract runs the echo contract that every echo server in the workbook
// keeps (echo-gorilla, echo-xnet, handshake/echo) against the server that
// run starts. Each claim is a subtest, so a failure names the claim.
func EchoContract(t *testing.T, run RunFunc) {
	t.Run("text comes back as Received: M", func(t *testing.T) {
		s := Start(t, run)
		c := DialGorilla(t, s.WS(), nil)
		for _, msg := range []string{"Hello, world!", "", "héllo wörld ✓ 你好 🎉", strings.Repeat("x", 70000)} {
			kind, got := echoOnce(t, c, websocket.TextMessage, []byte(msg))
			assert.Equal(t, websocket.TextMessage, kind)
			assert.True(t, string(got) == "Received: "+msg, "got %d bytes %.60q…, want %d bytes %.60q…", len(got), got, len("Received: "+msg), "Received: "+msg)
		}
	})

	t.Run("binary comes back as the same bytes, binary", func(t *testing.T) {
		s := Start(t, run)
		c := DialGorilla(t, s.WS(), nil)
		payload := []byte{0, 1, 2, 0xff, 0xfe, 'R', 'e', 'c'}
		kind, got := echoOnce(t, c, websocket.BinaryMessage, payload)
		assert.Equal(t, websocket.BinaryMessage, kind)
		assert.Equal(t, payload, got)
	})

	t.Run("a message of exactly 1 MiB is echoed", func(t *testing.T) {
		s := Start(t, run)
		c := DialGorilla(t, s.WS(), nil)
		payload := bytes.Repeat([]byte{0xA5}, maxMessage)
		kind, got := echoOnce(t, c, websocket.BinaryMessage, payload)
		assert.Equal(t, websocket.BinaryMessage, kind)
		assert.Equal(t, len(payload), len(got))
	})

	closes := []struct {
		name string
		kind int
		msg  []byte
		code int
	}{
		{"1 MiB + 1 is refused with 1009", websocket.BinaryMessage, make([]byte, maxMessage+1), websocket.CloseMessageTooBig},
		{"invalid UTF-8 in text is refused with 1007", websocket.TextMessage, []byte{'h', 'i', 0xff, 0xfe}, websocket.CloseInvalidFramePayloadData},
	}
	for _, tc := range closes {
		t.Run(tc.name, func(t *testing.T) {
			s := Start(t, run)
			c := DialGorilla(t, s.WS(), nil)
			c.SetWriteDeadline(time.Now().Add(ioTimeout))
			require.NoError(t, c.WriteMessage(tc.kind, tc.msg))
			assert.Equal(t, tc.code, CloseCode(t, c))
		})
	}

	t.Run("the x/net client is echoed too", func(t *testing.T) {
		s := Start(t, run)
		ws, err := xnet.Dial(s.WS(), "", s.URL)
		require.NoError(t, err)
		defer ws.Close()
		ws.SetDeadline(time.Now().Add(ioTimeout))
		require.NoError(t, xnet.Message.Send(ws, "Hello, world!"))
		var text string
		require.NoError(t, xnet.Message.Receive(ws, &text))
		assert.Equal(t, "Received: Hello, world!", text)
		require.NoError(t, xnet.Message.Send(ws, []byte{9, 8, 7}))
		var got typedFrame
		require.NoError(t, typedCodec.Receive(ws, &got))
		assert.Equal(t, []byte{9, 8, 7}, got.data)
		assert.Equal(t, byte(xnet.BinaryFrame), got.payloadType, "the answer to binary is binary")
	})

	origins := []struct {
		name   string
		origin string
		args   []string
		status int
	}{
		{"no Origin (curl, Go) is accepted", "", nil, http.StatusSwitchingProtocols},
		{"same-origin page is accepted", "SAME", nil, http.StatusSwitchingProtocols},
		{"cross-site page is refused with 403", "http://evil.example", nil, http.StatusForbidden},
		{"Origin null is refused with 403", "null", nil, http.StatusForbidden},
		{"-allow-origin admits a named origin", "http://localhost:3000", []string{"-allow-origin", "http://localhost:3000"}, http.StatusSwitchingProtocols},
		{"-allow-origin takes a comma-separated list", "http://b.example", []string{"-allow-origin", "http://a.example,http://b.example"}, http.StatusSwitchingProtocols},
		{"-allow-origin admits only what it names", "http://c.example", []string{"-allow-origin", "http://a.example"}, http.StatusForbidden},
	}
	for _, tc := range origins {
		t.Run("origin: "+tc.name, func(t *testing.T) {
			s := Start(t, run, tc.args...)
			origin := tc.origin
			if origin == "SAME" {
				origin = s.URL
			}
			resp := RawHandshake(t, s.URL, "/ws", "dGhlIHNhbXBsZSBub25jZQ==", origin)
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}

	t.Run("the original chapter's key gets the original chapter's accept", func(t *testing.T) {
		s := Start(t, run)
		resp := RawHandshake(t, s.URL, "/ws", "f7cb4ezEAl6C3wRaU6JORA==", "")
		require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
		assert.Equal(t, "rE91AJhfC+6JdVcVXOGJEADEJdQ=", resp.Header.Get("Sec-WebSocket-Accept"))
		assert.True(t, strings.EqualFold(resp.Header.Get("Upgrade"), "websocket"))
	})

	t.Run("GET / serves the shared page", func(t *testing.T) {
		s := Start(t, run)
		resp, err := http.Get(s.URL + "/")
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		var page strings.Builder
		_, err = bufio.NewReader(resp.Body).WriteTo(&page)
		require.NoError(t, err)
		assert.Contains(t, page.String(), `id="send"`)
	})

	t.Run("shutdown says goodbye with 1001", func(t *testing.T) {
		s := Start(t, run)
		c := DialGorilla(t, s.WS(), nil)
		echoOnce(t, c, websocket.TextMessage, []byte("still here"))
		stopped := make(chan error, 1)
		go func() { stopped <- s.Stop() }()
		assert.Equal(t, websocket.CloseGoingAway, CloseCode(t, c))
		select {
		case err := <-stopped:
			assert.NoError(t, err)
		case <-time.After(5 * time.Second):
			t.Fatal("server did not exit within 5 s of the shutdown signal")
		}
	})

	t.Run("the shared page echoes in a real browser", func(t *testing.T) {
		s := Start(t, run)
		ctx := Browser(t)
		EchoInPage(t, ctx, s.URL+"/", "Hello, world!")
	})
}

// DialGorilla opens a WebSocket to wsURL with gorilla's client, sending the
// given extra headers (nil for none: gorilla sends no Origin by default). The
// connection is closed when the test ends.
func DialGorilla(t testing.TB, wsURL string, header http.Header) *websocket.Conn {
	t.Helper()
	// A write buffer larger than any message the contract sends makes gorilla
	// send each message as one frame, as browsers do. (With its default 4 KiB
	// buffer it fragments larger messages, which x/net cannot reassemble: the
	// conformance suite measures that separately.)
	d := websocket.Dialer{HandshakeTimeout: ioTimeout, WriteBufferSize: maxMessage + 64}
	c, resp, err := d.Dial(wsURL, header)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	require.NoError(t, err, "dialing %s", wsURL)
	t.Cleanup(func() { c.Close() })
	return c
}

// echoOnce sends one message and reads one back, within ioTimeout.
func echoOnce(t testing.TB, c *websocket.Conn, kind int, msg []byte) (int, []byte) {
	t.Helper()
	c.SetWriteDeadline(time.Now().Add(ioTimeout))
	require.NoError(t, c.WriteMessage(kind, msg))
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	gotKind, got, err := c.ReadMessage()
	require.NoError(t, err)
	return gotKind, got
}

// CloseCode reads until the server's close frame arrives and returns its
// code. It fails the test if a data message arrives instead, if the
// connection ends without a close frame, or if nothing comes in ioTimeout.
func CloseCode(t testing.TB, c *websocket.Conn) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	for {
		kind, msg, err := c.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		require.NoError(t, err, "the connection ended without a close frame")
		t.Fatalf("expected a close frame, got a %d-byte message of type %d", len(msg), kind)
	}
}

// RawHandshake sends a WebSocket opening handshake by hand over TCP to the
// server at baseURL (http://HOST:PORT) and returns the response. An empty
// origin sends no Origin header. The body, if any, is read into the
// response; the connection is closed when the test ends.
func RawHandshake(t testing.TB, baseURL, path, key, origin string) *http.Response {
	t.Helper()
	host := strings.TrimPrefix(baseURL, "http://")
	conn, err := net.DialTimeout("tcp", host, ioTimeout)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(ioTimeout))

	var req strings.Builder
	req.WriteString("GET " + path + " HTTP/1.1\r\n")
	req.WriteString("Host: " + host + "\r\n")
	req.WriteString("Upgrade: websocket\r\nConnection: Upgrade\r\n")
	req.WriteString("Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n")
	if origin != "" {
		req.WriteString("Origin: " + origin + "\r\n")
	}
	req.WriteString("\r\n")
	_, err = conn.Write([]byte(req.String()))
	require.NoError(t, err)

	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	return resp
}

// typedFrame is a frame's payload and type, as x/net's client receives it.
type typedFrame struct {
	payloadType byte
	data        []byte
}

// typedCodec receives into a typedFrame, so a test can see the frame type.
var typedCodec = xnet.Codec{
	Unmarshal: func(data []byte, payloadType byte, v any) error {
		f := v.(*typedFrame)
		f.payloadType, f.data = payloadType, data
		return nil
	},
}
