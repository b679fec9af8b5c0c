package proxy

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
)

// ANCHOR: new

// New returns a reverse proxy to the server at target (e.g.
// http://127.0.0.1:1234) that a WebSocket can pass: ReverseProxy sees an
// Upgrade request, passes its Upgrade and Connection headers on, and
// after the server's 101 copies bytes both ways until either side closes.
// It keeps the browser's Host (SetURL alone would put target's host in
// it, and the server's origin check would then refuse every page: its
// Origin names the proxy) and adds X-Forwarded-For, -Host and -Proto.
func New(target *url.URL) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
			r.SetXForwarded()
		},
	}
}

// ANCHOR_END: new

// GoProxy is a New proxy started by StartGo.
type GoProxy struct {
	// URL is where it listens: http://127.0.0.1:PORT.
	URL string
}

// Host returns the host:port of URL.
func (p *GoProxy) Host() string { return strings.TrimPrefix(p.URL, "http://") }

// WS returns the URL of the WebSocket endpoint behind the proxy:
// ws://HOST:PORT/ws.
func (p *GoProxy) WS() string { return "ws://" + p.Host() + "/ws" }

// StartGo serves h on a loopback port until the test ends. Give it New's
// proxy, or a variant to show what goes wrong.
func StartGo(t testing.TB, h http.Handler) *GoProxy {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &GoProxy{URL: srv.URL}
}

// MustURL parses a URL that is known to be good, e.g. a started server's.
func MustURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parsing %q: %v", raw, err)
	}
	return u
}
