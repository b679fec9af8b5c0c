package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/proxy"
)

// TestChatOverWSS: the chat takes the -tls-* flags of every workbook
// server. A client that trusts the certificate chats over wss://; one that
// does not is refused by TLS before any WebSocket byte.
func TestChatOverWSS(t *testing.T) {
	certFile, keyFile, leaf := selfSignedFiles(t)

	nats := startNATS(t)
	secure := startChat(t, nats, "-tls-cert", certFile, "-tls-key", keyFile)
	plain := startChat(t, nats)
	require.True(t, strings.HasPrefix(secure.WS(), "wss://"), secure.WS())

	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	d := &websocket.Dialer{HandshakeTimeout: ioWait, TLSClientConfig: &tls.Config{RootCAs: pool}}
	ada := dialWith(t, d, secure.WS(), nil)
	bob := dial(t, plain.WS())
	ada.join("tls", "ada", nil)
	bob.join("tls", "bob", nil)
	ada.waitPresence("ada", "bob")
	ada.say("over wss://")
	assert.Equal(t, []string{"over wss://"}, textsOf(bob.messages(1)), "from wss:// on one process to ws:// on another")

	_, _, err := (&websocket.Dialer{HandshakeTimeout: ioWait}).Dial(secure.WS(), nil)
	require.ErrorAs(t, err, new(x509.UnknownAuthorityError), "a client that does not trust the certificate")
}

// TestChatBehindProxies: two chat processes on one NATS, one behind real
// nginx (web/proxy's tested configuration), one behind Go's
// httputil.ReverseProxy. A client of each, sending the Origin a page
// served through its proxy sends, chats with the other; a cross-site page
// is still refused, with 403, through the proxy: the origin check sees the
// browser's Host because both proxies pass it on.
// ANCHOR: behind-proxies
func TestChatBehindProxies(t *testing.T) {
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)
	front := proxy.StartNginx(t, strings.TrimPrefix(a.URL, "http://"))
	goFront := proxy.StartGo(t, proxy.New(proxy.MustURL(t, b.URL)))

	d := &websocket.Dialer{HandshakeTimeout: ioWait}
	origin := func(host string) http.Header {
		return http.Header{"Origin": {"http://" + host}}
	}
	ada := dialWith(t, d, front.WS(), origin(front.Host()))
	bob := dialWith(t, d, goFront.WS(), origin(goFront.Host()))
	ada.join("proxied", "ada", nil)
	bob.join("proxied", "bob", nil)
	ada.waitPresence("ada", "bob")
	bob.say("through httputil.ReverseProxy")
	assert.Equal(t, []string{"through httputil.ReverseProxy"}, textsOf(ada.messages(1)))
	assert.Equal(t, []string{"through httputil.ReverseProxy"}, textsOf(bob.messages(1)))
	ada.say("through nginx")
	assert.Equal(t, []string{"through nginx"}, textsOf(bob.messages(1)))
	assert.Equal(t, []string{"through nginx"}, textsOf(ada.messages(1)))

	for _, ws := range []string{front.WS(), goFront.WS()} {
		_, resp, err := d.Dial(ws, http.Header{"Origin": {"http://evil.example"}})
		require.ErrorIs(t, err, websocket.ErrBadHandshake, ws)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode,
			"a cross-site page through %s", ws)
		resp.Body.Close()
	}
}

// ANCHOR_END: behind-proxies
