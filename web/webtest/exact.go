package webtest

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ExactEchoContract holds a server's GET /echo to the exact echo that test
// suites such as Autobahn expect: every message comes back unchanged, text
// as text and binary as binary, with no "Received: " prefix; the limits
// and the origin policy are those of /ws. args are passed to run, e.g.
// "-max-message", "2097152" to check that a bigger limit is honoured.
func ExactEchoContract(t *testing.T, run RunFunc) {
	s := Start(t, run, "-max-message", "2097152")
	url := strings.TrimSuffix(s.WS(), "/ws") + "/echo"
	// One frame per message, as a browser sends it, even at 2 MiB.
	d := websocket.Dialer{HandshakeTimeout: ioTimeout, WriteBufferSize: 3 << 20}
	c, resp, err := d.Dial(url, nil)
	require.NoError(t, err, "dialing %s", url)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	big := bytes.Repeat([]byte("b"), 2<<20) // over the default limit, within -max-message
	cases := []struct {
		name string
		kind int
		msg  []byte
	}{
		{"text", websocket.TextMessage, []byte("Hello, world!")},
		{"unicode", websocket.TextMessage, []byte("héllo ✓ 🎉")},
		{"empty text", websocket.TextMessage, nil},
		{"binary", websocket.BinaryMessage, []byte{0, 1, 2, 0xff}},
		{"2 MiB, as -max-message allows", websocket.BinaryMessage, big},
	}
	for _, tc := range cases {
		kind, got := echoOnce(t, c, tc.kind, tc.msg)
		assert.Equal(t, tc.kind, kind, "%s: the message type", tc.name)
		assert.True(t, bytes.Equal(tc.msg, got), "%s: got %d bytes back, want %d unchanged", tc.name, len(got), len(tc.msg))
	}

	require.NoError(t, c.WriteMessage(websocket.BinaryMessage, append(big, 'x')))
	assert.Equal(t, websocket.CloseMessageTooBig, CloseCode(t, c), "a message over -max-message")

	resp = RawHandshake(t, s.URL, "/echo", "dGhlIHNhbXBsZSBub25jZQ==", "http://evil.example")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a cross-site page on /echo")
	resp = RawHandshake(t, s.URL, "/echo", "dGhlIHNhbXBsZSBub25jZQ==", "")
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, "no Origin, as Autobahn sends none")
}
