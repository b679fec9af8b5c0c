package proxy

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// runDir holds the servers built for this run of the tests.
var runDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "proxy-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	runDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proxies are the two reverse proxies every echo server is tested behind.
// start puts one in front of the server at upstream (host:port) and
// returns the proxy's host:port.
var proxies = []struct {
	name  string
	start func(t *testing.T, upstream string) string
}{
	{"httputil.ReverseProxy", func(t *testing.T, upstream string) string {
		return StartGo(t, New(MustURL(t, "http://"+upstream))).Host()
	}},
	{"nginx", func(t *testing.T, upstream string) string {
		return StartNginx(t, upstream).Host()
	}},
}

// TestEchoBehindProxies: every echo server, behind each proxy, accepts a
// browser-like handshake from a page the proxy served (its Origin names
// the proxy, the Host the browser sent is passed on) and echoes; it
// refuses a cross-site page's handshake with 403, through the proxy.
func TestEchoBehindProxies(t *testing.T) {
	for _, p := range proxies {
		for _, s := range echoServers {
			t.Run(p.name+"/"+s.name, func(t *testing.T) {
				host := p.start(t, startEcho(t, s.dir))
				ws := "ws://" + host + "/ws"

				same := dialEcho(t, ws, "http://"+host)
				require.NoError(t, same.err, "a same-origin handshake through the proxy: %d %s", same.status, same.body)
				assert.Equal(t, http.StatusSwitchingProtocols, same.status)
				assert.Equal(t, "Received: hello", same.echo)

				cross := dialEcho(t, ws, "http://evil.example")
				assert.Equal(t, http.StatusForbidden, cross.status, "a cross-site handshake through the proxy: %v", cross.err)
			})
		}
	}
}

// TestForwardedHeaders: what the server behind each proxy sees of the
// client: the Host it used, its address in X-Forwarded-For, the scheme
// and host in X-Forwarded-Proto and -Host; its own RemoteAddr is the
// proxy's.
func TestForwardedHeaders(t *testing.T) {
	for _, p := range proxies {
		t.Run(p.name, func(t *testing.T) {
			seen := make(chan *http.Request, 1)
			backend := StartGo(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen <- r
				http.Error(w, "seen", http.StatusTeapot)
			}))
			host := p.start(t, backend.Host())
			resp, err := (&http.Client{Timeout: ioTimeout}).Get("http://" + host + "/ws")
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusTeapot, resp.StatusCode)
			r := <-seen
			assert.Equal(t, host, r.Host, "Host")
			assert.Equal(t, "127.0.0.1", r.Header.Get("X-Forwarded-For"))
			assert.Equal(t, "http", r.Header.Get("X-Forwarded-Proto"))
			assert.Equal(t, host, r.Header.Get("X-Forwarded-Host"))
			assert.True(t, strings.HasPrefix(r.RemoteAddr, "127.0.0.1:"), r.RemoteAddr)
		})
	}
}

// ANCHOR: naive_go

// TestNaiveGoProxy: a ReverseProxy whose Rewrite only calls SetURL puts
// the server's own host:port in the Host header. The upgrade still passes
// (ReverseProxy knows WebSocket), so a client without an Origin (a Go
// program) gets through; but a page's Origin names the proxy, no longer
// the Host, and the origin check refuses it: 403.
func TestNaiveGoProxy(t *testing.T) {
	upstream := startEcho(t, "../../echo-gorilla")
	target := MustURL(t, "http://"+upstream)
	naive := StartGo(t, &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
	})
	noOrigin := dialEcho(t, naive.WS(), "")
	require.NoError(t, noOrigin.err)
	assert.Equal(t, "Received: hello", noOrigin.echo)

	page := dialEcho(t, naive.WS(), "http://"+naive.Host())
	assert.Equal(t, http.StatusForbidden, page.status, "%v", page.err)
}

// ANCHOR_END: naive_go

// ANCHOR: naive_nginx

// TestNaiveNginx takes lines out of the tested nginx.conf, to show what
// each is for. Without the Upgrade lines nginx sends the handshake as
// HTTP/1.0 with "Connection: close" and no Upgrade header: every server
// answers 400, each in its own words. Without the Host line nginx sends
// the upstream block's name, websocket_servers, as the Host, and every
// server's Host policy refuses it: 421 Misdirected Request. Admitting
// that name with -allow-host only moves the failure: the page's Origin
// names nginx, the Host does not, and the origin check refuses it, 403.
func TestNaiveNginx(t *testing.T) {
	noUpgrade := without(t, NginxConf, "proxy_http_version", "proxy_set_header Upgrade",
		"proxy_set_header Connection")
	noHost := without(t, NginxConf, "proxy_set_header Host")
	allowUpstream := []string{"-allow-host", "websocket_servers"}
	cases := []struct {
		server, dir string
		conf        string
		args        []string // the server's flags
		status      int
		body        string // what the server says, in part
	}{
		{"handshake/echo", "../../handshake/echo", noUpgrade, nil, http.StatusBadRequest,
			"a WebSocket handshake needs HTTP/1.1"},
		{"echo-xnet", "../../echo-xnet", noUpgrade, nil, http.StatusBadRequest,
			"not websocket protocol"},
		{"echo-gorilla", "../../echo-gorilla", noUpgrade, nil, http.StatusBadRequest,
			"Bad Request"},
		{"handshake/echo", "../../handshake/echo", noHost, nil,
			http.StatusMisdirectedRequest,
			`does not answer to "websocket_servers"`},
		{"echo-xnet", "../../echo-xnet", noHost, nil, http.StatusMisdirectedRequest,
			`does not answer to "websocket_servers"`},
		{"echo-gorilla", "../../echo-gorilla", noHost, nil, http.StatusMisdirectedRequest,
			`does not answer to "websocket_servers"`},
		{"handshake/echo", "../../handshake/echo", noHost, allowUpstream,
			http.StatusForbidden, "cross-origin request from http://127.0.0.1:"},
		{"echo-xnet", "../../echo-xnet", noHost, allowUpstream, http.StatusForbidden, ""},
		{"echo-gorilla", "../../echo-gorilla", noHost, allowUpstream,
			http.StatusForbidden, "Forbidden"},
	}
	for _, tc := range cases {
		name := "without the Upgrade lines/"
		if tc.conf == noHost {
			name = "without the Host line/"
		}
		if tc.args != nil {
			name = "without the Host line, -allow-host/"
		}
		t.Run(name+tc.server, func(t *testing.T) {
			n := StartNginxConf(t, tc.conf, startEcho(t, tc.dir, tc.args...))
			got := dialEcho(t, n.WS(), "http://"+n.Host())
			require.Error(t, got.err, "the handshake went through")
			assert.Equal(t, tc.status, got.status, "%v: %s", got.err, got.body)
			assert.Contains(t, got.body, tc.body)
			body := strings.TrimSpace(got.body)
			if body == "" {
				body = "(an empty body)"
			}
			t.Logf("%s answers %d:\n%s", strings.Join(append([]string{tc.server},
				tc.args...), " "), got.status, body)
		})
	}
}

// ANCHOR_END: naive_nginx

// TestBrowserBehindProxies opens the page of an echo server through each
// proxy in Chromium and echoes: the page, its Origin, its Host and its
// ws:// URL all name the proxy.
func TestBrowserBehindProxies(t *testing.T) {
	for _, p := range proxies {
		t.Run(p.name, func(t *testing.T) {
			host := p.start(t, startEcho(t, "../../echo-gorilla"))
			ctx := webtest.Browser(t)
			webtest.EchoInPage(t, ctx, "http://"+host+"/", "hello through "+p.name)
			assert.Contains(t, webtest.LogText(t, ctx), "connected to ws://"+host+"/ws")
		})
	}
}
