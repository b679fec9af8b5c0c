package proxy

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRender: the template takes one server line per upstream and leaves
// no template syntax behind.
func TestRender(t *testing.T) {
	site, err := Render(NginxConf, Site{Listen: "127.0.0.1:8080", Upstreams: []string{"127.0.0.1:1234", "127.0.0.1:1235"}})
	require.NoError(t, err)
	assert.Contains(t, site, "upstream websocket_servers {\n    server 127.0.0.1:1234;\n    server 127.0.0.1:1235;\n}\n")
	assert.Contains(t, site, "listen 127.0.0.1:8080;")
	assert.Contains(t, site, "\n    listen 127.0.0.1:8080;\n")
	assert.NotContains(t, site, "ssl")
	assert.NotContains(t, site, "{{")
	assert.NotContains(t, site, "}}")

	site, err = Render(NginxConf, Site{Listen: "127.0.0.1:8443", Upstreams: []string{"127.0.0.1:1234"}, CertFile: "/c.pem", KeyFile: "/k.pem"})
	require.NoError(t, err)
	assert.Contains(t, site, "    listen 127.0.0.1:8443 ssl;\n    ssl_certificate     /c.pem;\n    ssl_certificate_key /k.pem;\n")
}

// namedServer is a WebSocket server that sends its name and closes.
func namedServer(t *testing.T, name string) *httptest.Server {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.WriteMessage(websocket.TextMessage, []byte(name))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// ANCHOR: upstreams

// TestNginxSpreadsAndSkips: with two servers in the upstream block, nginx
// gives new connections to each in turn; when one is gone (its port
// refuses connections), every new connection goes to the other, and no
// client sees an error. A connection that was open on the server that
// went is lost with it: a client must reconnect, and then lands on the
// one that is left.
func TestNginxSpreadsAndSkips(t *testing.T) {
	a, b := namedServer(t, "a"), namedServer(t, "b")
	n := StartNginx(t, a.Listener.Addr().String(), b.Listener.Addr().String())

	hello := func() string {
		t.Helper()
		c, _, err := (&websocket.Dialer{HandshakeTimeout: ioTimeout}).Dial(n.WS(), nil)
		require.NoError(t, err)
		defer c.Close()
		_, msg, err := c.ReadMessage()
		require.NoError(t, err)
		return string(msg)
	}
	seen := map[string]int{}
	for range 4 {
		seen[hello()]++
	}
	assert.Equal(t, map[string]int{"a": 2, "b": 2}, seen, "round robin")

	a.Close()
	seen = map[string]int{}
	for range 4 {
		seen[hello()]++
	}
	assert.Equal(t, map[string]int{"b": 4}, seen, "after a is gone")
}

// ANCHOR_END: upstreams
