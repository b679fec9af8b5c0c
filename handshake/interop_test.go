package handshake

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xnet "golang.org/x/net/websocket"
)

// gorillaEcho and xnetEcho are the libraries' own minimal echo servers,
// answering every message with the same bytes and type.
func gorillaEcho(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	for {
		kind, msg, err := c.ReadMessage()
		if err != nil || c.WriteMessage(kind, msg) != nil {
			return
		}
	}
}

var xnetEcho = xnet.Server{Handler: func(ws *xnet.Conn) {
	for {
		var f struct {
			t byte
			b []byte
		}
		codec := xnet.Codec{
			Marshal: func(any) ([]byte, byte, error) { return f.b, f.t, nil },
			Unmarshal: func(data []byte, t byte, _ any) error {
				f.t, f.b = t, data
				return nil
			},
		}
		if codec.Receive(ws, nil) != nil || codec.Send(ws, nil) != nil {
			return
		}
	}
}}

// TestDialInterop: our client against gorilla's and x/net's servers.
func TestDialInterop(t *testing.T) {
	servers := []struct {
		name    string
		handler http.Handler
		// answersClose: gorilla answers our close frame with one (§5.5.1);
		// x/net drops the TCP connection without a word.
		answersClose bool
	}{
		{"gorilla", http.HandlerFunc(gorillaEcho), true},
		{"x/net", xnetEcho, false},
	}
	messages := []struct {
		op      Opcode
		payload string
	}{
		{OpText, "Hello, world!"},
		{OpText, "héllo ✓ 🎉"},
		{OpBinary, "\x00\x01\x02\xff"},
		{OpBinary, strings.Repeat("z", 70000)}, // a 64-bit length
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := httptest.NewServer(s.handler)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			// x/net's Server, unlike its Handler, does not insist on an Origin.
			c, resp, err := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
			require.NoError(t, err)
			defer c.Close()
			assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
			c.NetConn().SetDeadline(time.Now().Add(testTimeout))

			for _, m := range messages {
				require.NoError(t, c.WriteMessage(m.op, []byte(m.payload)))
				op, got, err := c.ReadMessage()
				require.NoError(t, err)
				assert.Equal(t, m.op, op)
				assert.True(t, string(got) == m.payload, "payload of %d bytes came back as %d bytes", len(m.payload), len(got))
			}
			require.NoError(t, c.CloseWith(CloseNormal, "done"))
			_, _, err = c.ReadMessage()
			if !s.answersClose {
				assert.ErrorIs(t, err, io.EOF, "x/net does not answer a close frame")
				return
			}
			var ce *CloseError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, CloseNormal, ce.Code)
		})
	}
}

// TestGorillaFragmentsAreReassembled: gorilla's client splits a message
// bigger than its 4 KiB write buffer into fragments; our server must put
// them back together (x/net's cannot: see the side-by-side chapter).
func TestGorillaFragmentsAreReassembled(t *testing.T) {
	url := startEcho(t)
	c, _, err := (&websocket.Dialer{WriteBufferSize: 1024}).Dial(url, nil)
	require.NoError(t, err)
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(testTimeout))
	msg := strings.Repeat("fragment ", 2000) // 18,000 bytes: 18 frames
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(msg)))
	kind, got, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, websocket.TextMessage, kind)
	assert.True(t, string(got) == "Received: "+msg, "got %d bytes", len(got))
}

// TestDialRefusals: Dial reports a refused handshake with the response,
// and a server that answers with the wrong accept value with ErrBadAccept.
func TestDialRefusals(t *testing.T) {
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Upgrade", "websocket")
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Sec-WebSocket-Accept", AcceptKey("someone else's key"))
		w.WriteHeader(http.StatusSwitchingProtocols)
	}))
	defer liar.Close()
	echoURL := startEcho(t)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_, _, err := Dial(ctx, "ws"+strings.TrimPrefix(liar.URL, "http"), nil)
	assert.ErrorIs(t, err, ErrBadAccept)

	_, resp, err := Dial(ctx, echoURL, http.Header{"Origin": {"http://evil.example"}})
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)

	_, _, err = Dial(ctx, "http://example.com/", nil)
	assert.ErrorContains(t, err, "ws or wss")
}

// TestFirstFrameBehindTheHandshake: a client may send its first frame in
// the same packet as its handshake; those bytes must not be lost.
func TestFirstFrameBehindTheHandshake(t *testing.T) {
	url := startEcho(t)
	host := strings.TrimPrefix(url, "ws://")
	p := &rawPeer{t: t}
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(testTimeout))
	p.conn = conn
	p.send([]byte("GET / HTTP/1.1\r\nHost: "+host+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
		client(OpText, "early"))
	var resp [129]byte // exactly the 101 response for this key
	_, err = conn.Read(resp[:])
	require.NoError(t, err)
	require.Contains(t, string(resp[:]), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
	h, payload := p.next()
	assert.Equal(t, OpText, h.op)
	assert.Equal(t, "Received: early", string(payload))
}
