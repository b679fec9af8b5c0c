package proxy

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// selfSigned makes a certificate for localhost and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	cert, err := serve.SelfSigned()
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return cert, pool
}

// ANCHOR: tls_termination

// TestNginxEndsTLS: nginx speaks wss:// to the client and ws:// to the
// server behind it, which learns the client's scheme from
// X-Forwarded-Proto. A page from https://nginx is same-origin to it: the
// origin check compares hosts, and the Host passes as before.
func TestNginxEndsTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	n := StartNginxTLS(t, cert, startEcho(t, "../../echo-gorilla"))
	require.True(t, strings.HasPrefix(n.WS(), "wss://127.0.0.1:"), n.WS())

	d := websocket.Dialer{HandshakeTimeout: ioTimeout,
		TLSClientConfig: &tls.Config{RootCAs: pool}}
	c, _, err := d.Dial(n.WS(), http.Header{"Origin": {"https://" + n.Host()}})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte("hello")))
	_, msg, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, "Received: hello", string(msg))

	_, resp, err := d.Dial(n.WS(), http.Header{"Origin": {"https://evil.example"}})
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)

	_, _, err = (&websocket.Dialer{HandshakeTimeout: ioTimeout}).Dial(n.WS(), nil)
	assert.ErrorAs(t, err, new(x509.UnknownAuthorityError),
		"a client that does not trust nginx's certificate")
}

// ANCHOR_END: tls_termination

// TestNginxTLSForwardedProto: behind nginx with TLS, X-Forwarded-Proto
// says https.
func TestNginxTLSForwardedProto(t *testing.T) {
	cert, pool := selfSigned(t)
	seen := make(chan *http.Request, 1)
	backend := StartGo(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r
		w.WriteHeader(http.StatusNoContent)
	}))
	n := StartNginxTLS(t, cert, backend.Host())
	client := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(n.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	r := <-seen
	assert.Equal(t, "https", r.Header.Get("X-Forwarded-Proto"))
	assert.Nil(t, r.TLS, "the server behind nginx speaks plain HTTP")
}

// TestBrowserThroughNginxTLS: the page over https:// from nginx, in
// Chromium trusting nginx's key, opens wss:// to nginx and echoes.
func TestBrowserThroughNginxTLS(t *testing.T) {
	cert, _ := selfSigned(t)
	n := StartNginxTLS(t, cert, startEcho(t, "../../echo-gorilla"))
	ctx := webtest.Browser(t, webtest.TrustSPKI(serve.SPKIHash(cert.Leaf)))
	webtest.EchoInPage(t, ctx, n.URL+"/", "hello through nginx's TLS")
	assert.Contains(t, webtest.LogText(t, ctx), "connected to "+n.WS())
}
