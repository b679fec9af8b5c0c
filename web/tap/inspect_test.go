package tap

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
)

// TestInspectorShowsEveryKindOfFrame: through a tapped server, each message
// shows up as an in row and an out row with the header's fields, the
// length in the form the size needs (7, 16, 64 bits), and the server's
// pings and the closing handshake too.
func TestInspectorShowsEveryKindOfFrame(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	token := s.token(t)
	records := s.inspector(t, token)
	c := dial(t, s.ws("/ws?inspect="+token))

	hs := next(t, records)
	require.Equal(t, KindHandshake, hs.Kind)
	assert.Equal(t, 101, hs.Handshake.Status)
	assert.Equal(t, hs.Handshake.Expected, hs.Handshake.Accept)
	assert.Contains(t, hs.Handshake.Request, "GET /ws?inspect="+token+" HTTP/1.1\r\n")

	cases := []struct {
		name    string
		op      handshake.Opcode
		msg     []byte
		inLen   uint64
		outLen  uint64
		lenBits int
	}{
		{"text", handshake.OpText, []byte("Hello"), 5, 15, 7},
		{"binary", handshake.OpBinary, []byte{0, 1, 2, 0xff}, 4, 4, 7},
		{"200 bytes: the 16-bit length", handshake.OpText, bytes.Repeat([]byte("x"), 200), 200, 210, 16},
		{"70,000 bytes: the 64-bit length", handshake.OpText, bytes.Repeat([]byte("y"), 70000), 70000, 70010, 64},
		{"1 MiB", handshake.OpBinary, make([]byte, 1<<20), 1 << 20, 1 << 20, 64},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			echo(t, c, tc.op, tc.msg)
			in, out := next(t, records), next(t, records)
			require.NotNil(t, in.Frame)
			require.NotNil(t, out.Frame)
			assert.Equal(t, Frame{Dir: In, Fin: true, Opcode: byte(tc.op), Mask: true, Len: tc.inLen, LenBits: tc.lenBits},
				Frame{Dir: in.Frame.Dir, Fin: in.Frame.Fin, Opcode: in.Frame.Opcode, Mask: in.Frame.Mask, Len: in.Frame.Len, LenBits: in.Frame.LenBits})
			assert.Equal(t, Frame{Dir: Out, Fin: true, Opcode: byte(tc.op), Len: tc.outLen, LenBits: tc.lenBits},
				Frame{Dir: out.Frame.Dir, Fin: out.Frame.Fin, Opcode: out.Frame.Opcode, Mask: out.Frame.Mask, Len: out.Frame.Len, LenBits: out.Frame.LenBits})
			assert.Len(t, strings.Fields(in.Frame.Key), 4, "a 4-byte key")
			assert.Equal(t, min(int(tc.inLen), 32), in.Frame.Shown, "at most 32 bytes are shown")
		})
	}

	t.Run("close: code and reason, both ways, then the TCP close", func(t *testing.T) {
		require.NoError(t, c.CloseWith(handshake.CloseNormal, "bye"))
		in, out := next(t, records), next(t, records)
		assert.Equal(t, []any{In, 1000, "bye"}, []any{in.Frame.Dir, in.Frame.CloseCode, in.Frame.CloseReason})
		assert.Equal(t, []any{Out, 1000}, []any{out.Frame.Dir, out.Frame.CloseCode})
		assert.Equal(t, KindClosed, next(t, records).Kind)
		closes(t, records) // the inspector closes after the connection
	})
}

// TestInspectorShowsPings: the server's keepalive ping goes out, and the
// client's pong comes in, masked.
func TestInspectorShowsPings(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{pingPeriod: 20 * time.Millisecond})
	token := s.token(t)
	records := s.inspector(t, token)
	c := dial(t, s.ws("/ws?inspect="+token))
	go func() {
		for { // the client answers pings while it reads
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	var ping, pong *Frame
	deadline := time.After(ioTimeout)
	for ping == nil || pong == nil {
		var r Record
		select {
		case got, ok := <-records:
			require.True(t, ok, "the inspector closed before a ping and its pong")
			r = got
		case <-deadline:
			t.Fatal("no ping and pong within", ioTimeout)
		}
		if r.Frame != nil && r.Frame.Name == "ping" {
			ping = r.Frame
		}
		if r.Frame != nil && r.Frame.Name == "pong" && ping != nil {
			pong = r.Frame
		}
	}
	assert.Equal(t, []any{Out, false}, []any{ping.Dir, ping.Mask})
	assert.Equal(t, []any{In, true, ping.Payload}, []any{pong.Dir, pong.Mask, pong.Payload}, "the pong carries the ping's payload")
}

// TestFramesRightBehindTheHandshake: a client may send its first frame in
// the same write as its handshake; net/http reads both, and the tap shows
// the frame anyway.
func TestFramesRightBehindTheHandshake(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	token := s.token(t)
	records := s.inspector(t, token)
	conn := rawUpgrade(t, s, "/ws?inspect="+token, "", clientFrame(handshake.OpText, []byte("early")))
	defer conn.Close()
	require.Equal(t, KindHandshake, next(t, records).Kind)
	f := next(t, records).Frame
	require.NotNil(t, f)
	assert.Equal(t, "early", *f.Text)
}

// TestRefusedHandshakeIsShown: an upgrade the server refuses (426 for a
// version it does not speak) is shown with its status, and the inspector
// closes: no frames follow.
func TestRefusedHandshakeIsShown(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	token := s.token(t)
	records := s.inspector(t, token)
	conn := rawUpgrade(t, s, "/ws?inspect="+token, "Sec-WebSocket-Version: 8\r\n", nil)
	defer conn.Close()
	r := next(t, records)
	require.Equal(t, KindHandshake, r.Kind)
	assert.Equal(t, http.StatusUpgradeRequired, r.Handshake.Status)
	assert.Contains(t, r.Handshake.Response, "HTTP/1.1 426 Upgrade Required\r\n")
	select {
	case extra, open := <-records:
		assert.False(t, open, "the inspector closes: no frames follow a refusal, but it sent %+v", extra)
	case <-time.After(ioTimeout):
		t.Fatal("the inspector did not close after the refusal")
	}
}

// TestSecretsAreHidden: the page may not read its HttpOnly cookies, so the
// inspector shows their length, not their value.
func TestSecretsAreHidden(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	token := s.token(t)
	records := s.inspector(t, token)
	conn := rawUpgrade(t, s, "/ws?inspect="+token, "Cookie: session=s3cr3t\r\nAuthorization: Basic dTpw\r\n", nil)
	defer conn.Close()
	r := next(t, records)
	require.NotNil(t, r.Handshake)
	assert.NotContains(t, r.Handshake.Request, "s3cr3t")
	assert.NotContains(t, r.Handshake.Request, "dTpw")
	assert.Contains(t, r.Handshake.Request, "Cookie: (hidden: 14 bytes)\r\n")
	assert.Contains(t, r.Handshake.Request, "Sec-WebSocket-Key: ", "the rest is as sent")
}
