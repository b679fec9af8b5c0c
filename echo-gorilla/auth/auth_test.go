package auth

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestMain fails the package if a test leaves a goroutine running.
func TestMain(m *testing.M) { webtest.MainNoLeaks(m) }

// ioBound bounds every dial and read of these tests.
const ioBound = 10 * time.Second

// start serves s and returns its base URL and a client with a cookie jar.
func start(t *testing.T, s *Server) (string, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL, jarClient(t)
}

// jarClient is an HTTP client that keeps cookies, as a browser does.
func jarClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar, Timeout: ioBound}
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// post sends a POST and returns the status and body.
func post(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Post(url, "text/plain", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// handshake dials wsURL with the given headers and returns the status and
// the first message ("" if the handshake was refused).
func handshake(t *testing.T, wsURL string, header http.Header) (int, string) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: ioBound}
	c, resp, err := d.Dial(wsURL, header)
	require.NotNil(t, resp, "no HTTP answer: %v", err)
	resp.Body.Close()
	if err != nil {
		return resp.StatusCode, ""
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(ioBound))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	return resp.StatusCode, string(msg)
}

// ANCHOR: cookie-test

// TestCookieAndOrigin: the session cookie says who, the origin check says
// from which page. A page on another site sends the user's cookie too; only
// the origin check tells it apart, and without the check it gets the
// user's socket (cross-site WebSocket hijacking).
func TestCookieAndOrigin(t *testing.T) {
	cases := []struct {
		name        string
		login       bool
		origin      string // "" sends none; "self" the server's own
		checkOrigin bool
		status      int
		first       string
	}{
		{"no session", false, "self", true, http.StatusUnauthorized, ""},
		{"the page of the same origin", true, "self", true, http.StatusSwitchingProtocols,
			"hello alice"},
		{"a Go client, no Origin", true, "", true, http.StatusSwitchingProtocols,
			"hello alice"},
		{"another site's page", true, "http://evil.test", true, http.StatusForbidden, ""},
		{"another site's page, no origin check", true, "http://evil.test", false,
			http.StatusSwitchingProtocols, "hello alice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			s.CheckOrigin = tc.checkOrigin
			base, client := start(t, s)
			header := http.Header{}
			if tc.login {
				status, _ := post(t, client, base+"/login?user=alice")
				require.Equal(t, http.StatusNoContent, status)
				for _, c := range client.Jar.Cookies(mustURL(t, base)) {
					// as the browser attaches it, whoever asks
					header.Add("Cookie", c.String())
				}
			}
			switch tc.origin {
			case "self":
				header.Set("Origin", base)
			case "":
			default:
				header.Set("Origin", tc.origin)
			}
			status, first := handshake(t, "ws"+strings.TrimPrefix(base,
				"http")+"/ws/cookie", header)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.first, first)
		})
	}
}

// ANCHOR_END: cookie-test

// ANCHOR: ticket-test

// TestTicket: a ticket opens one socket, once, within TicketTTL; anything
// else is refused with 401 before the upgrade.
func TestTicket(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := New()
	s.Now = clock
	base, client := start(t, s)
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/ticket?ticket="

	status, _ := post(t, client, base+"/ticket")
	assert.Equal(t, http.StatusUnauthorized, status, "a ticket needs a session")
	status, _ = post(t, client, base+"/login?user=alice")
	require.Equal(t, http.StatusNoContent, status)

	_, ticket := post(t, client, base+"/ticket")
	status, first := handshake(t, ws+ticket, nil)
	assert.Equal(t, http.StatusSwitchingProtocols, status)
	assert.Equal(t, "hello alice", first)

	status, _ = handshake(t, ws+ticket, nil)
	assert.Equal(t, http.StatusUnauthorized, status, "a replayed ticket")
	status, _ = handshake(t, ws+"made-up", nil)
	assert.Equal(t, http.StatusUnauthorized, status, "an unknown ticket")

	_, ticket = post(t, client, base+"/ticket")
	mu.Lock()
	now = now.Add(TicketTTL)
	mu.Unlock()
	status, _ = handshake(t, ws+ticket, nil)
	assert.Equal(t, http.StatusUnauthorized, status, "an expired ticket")
}

// ANCHOR_END: ticket-test

// ANCHOR: protocol-test

// TestTicketInSubprotocol: the ticket offered as a second subprotocol
// opens one socket, whose answer names the subprotocol "ticket" only.
func TestTicketInSubprotocol(t *testing.T) {
	base, client := start(t, New())
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/protocol"
	status, _ := post(t, client, base+"/login?user=alice")
	require.Equal(t, http.StatusNoContent, status)
	_, ticket := post(t, client, base+"/ticket")

	d := websocket.Dialer{HandshakeTimeout: ioBound, Subprotocols: []string{"ticket",
		ticket}}
	c, resp, err := d.Dial(ws, nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	assert.Equal(t, []string{"ticket"}, resp.Header.Values("Sec-WebSocket-Protocol"),
		"exactly one, and not the ticket")

	c2, resp, err := d.Dial(ws, nil)
	if err == nil {
		c2.Close()
	}
	require.NotNil(t, resp)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a replayed ticket")
	status, _ = handshake(t, ws, nil)
	assert.Equal(t, http.StatusUnauthorized, status, "no ticket offered")
}

// ANCHOR_END: protocol-test
