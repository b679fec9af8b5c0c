package steps

import (
	"net/http"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// ANCHOR: test-accept

// TestClientAcceptsThe101: a real client, gorilla's, completes the
// handshake with our server. It checks the 101 as RFC 6455 §4.1 tells a
// client to, Sec-WebSocket-Accept included.
func TestClientAcceptsThe101(t *testing.T) {
	forEachStep(t, "2-accept", func(t *testing.T, p *webtest.Process) {
		conn, resp, err := websocket.DefaultDialer.Dial(p.WS(), nil)
		require.NoError(t, err, "gorilla's client refused the handshake")
		defer conn.Close()
		require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	})
}

// ANCHOR_END: test-accept
