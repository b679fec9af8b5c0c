package handshake

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandshakeWithABodyIsRefused: bytes sent as a request body would be
// read as the first frames. The server answers 400 and reads no frame.
func TestHandshakeWithABodyIsRefused(t *testing.T) {
	host := strings.TrimPrefix(startEcho(t), "ws://")
	smuggled := string(client(OpText, "smuggled"))
	bodies := map[string]string{
		"Content-Length":             "Content-Length: " + strconv.Itoa(len(smuggled)) + "\r\n\r\n" + smuggled,
		"Transfer-Encoding: chunked": "Transfer-Encoding: chunked\r\n\r\n" + strconv.FormatInt(int64(len(smuggled)), 16) + "\r\n" + smuggled + "\r\n0\r\n\r\n",
	}
	for name, rest := range bodies {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", host)
			require.NoError(t, err)
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(testTimeout))
			_, err = conn.Write([]byte("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
				"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + rest))
			require.NoError(t, err)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		})
	}
}

// fakeServer answers every connection's handshake with a 101 for its key,
// plus the extra header lines, and then says nothing.
func fakeServer(t *testing.T, extra string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
					"Sec-WebSocket-Accept: " + AcceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n" + extra + "\r\n"))
				var b [1]byte
				_, _ = c.Read(b[:]) // until the client hangs up
			}()
		}
	}()
	return "ws://" + ln.Addr().String() + "/"
}

// TestDialRefusesWhatItDidNotOffer: RFC 6455 §4.1, items 5 and 6: an
// extension or subprotocol in the 101 that the client did not ask for
// fails the connection.
func TestDialRefusesWhatItDidNotOffer(t *testing.T) {
	cases := []struct {
		name    string
		answer  string
		offered http.Header
		ok      bool
	}{
		{"plain 101", "", nil, true},
		{"an extension never offered", "Sec-WebSocket-Extensions: permessage-deflate\r\n", nil, false},
		{"a subprotocol never offered", "Sec-WebSocket-Protocol: chat\r\n", nil, false},
		{"a subprotocol other than the ones offered", "Sec-WebSocket-Protocol: chat\r\n", http.Header{"Sec-WebSocket-Protocol": {"json, xml"}}, false},
		{"two subprotocols", "Sec-WebSocket-Protocol: json\r\nSec-WebSocket-Protocol: xml\r\n", http.Header{"Sec-WebSocket-Protocol": {"json, xml"}}, false},
		{"one of the subprotocols offered", "Sec-WebSocket-Protocol: xml\r\n", http.Header{"Sec-WebSocket-Protocol": {"json, xml"}}, true},
		{"no subprotocol although some were offered", "", http.Header{"Sec-WebSocket-Protocol": {"json"}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c, _, err := Dial(ctx, fakeServer(t, tc.answer), tc.offered)
			if tc.ok {
				require.NoError(t, err)
				c.Close()
				return
			}
			assert.ErrorContains(t, err, "not offered")
		})
	}
}

// TestDialRefusesBadHeaders: a CR LF in a value would start a header of
// its own (header injection); the handshake's own headers are Dial's.
func TestDialRefusesBadHeaders(t *testing.T) {
	url := fakeServer(t, "")
	cases := map[string]http.Header{
		"CR LF in a value":    {"X-Token": {"abc\r\nX-Admin: yes"}},
		"LF in a value":       {"X-Token": {"abc\nX-Admin: yes"}},
		"NUL in a value":      {"X-Token": {"a\x00b"}},
		"space in a name":     {"X Token": {"abc"}},
		"colon in a name":     {"X-Token:": {"abc"}},
		"its own Upgrade":     {"Upgrade": {"h2c"}},
		"its own key":         {"Sec-WebSocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}},
		"an extension offer":  {"Sec-WebSocket-Extensions": {"permessage-deflate"}},
		"its own Connection":  {"Connection": {"close"}},
		"its own version":     {"Sec-WebSocket-Version": {"8"}},
		"empty name":          {"": {"x"}},
		"non-ASCII in a name": {"X-Tökén": {"abc"}},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c, _, err := Dial(ctx, url, h)
			if err == nil {
				c.Close()
			}
			assert.Error(t, err)
		})
	}
}

// TestDialHonoursItsContext: a server that accepts and never answers must
// not hold Dial once the context is cancelled (issue: it returned after the
// 10 s handshake timeout).
func TestDialHonoursItsContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		cancel() // the handshake is under way: now cancel it
		var b [1]byte
		_, _ = c.Read(b[:])
	}()
	result := make(chan error, 1)
	go func() {
		_, _, err := Dial(ctx, "ws://"+ln.Addr().String()+"/", nil)
		result <- err
	}()
	select {
	case err := <-result:
		assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	case <-time.After(handshakeTimeout / 2):
		t.Fatal("Dial ignored its cancelled context")
	}
}
