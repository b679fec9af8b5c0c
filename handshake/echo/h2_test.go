package main

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	gorilla "github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestMain runs the tests in a child process with GODEBUG=http2xconnect=1
// (unless GODEBUG already names it): net/http reads the setting once, at
// start-up, and without it Go's HTTP/2 server refuses extended CONNECT.
func TestMain(m *testing.M) {
	godebug := os.Getenv("GODEBUG")
	if strings.Contains(godebug, "http2xconnect=") {
		os.Exit(m.Run())
	}
	os.Exit(rerun(os.Args[1:], withXConnect(godebug, "1")))
}

// rerun runs this test binary again with args and GODEBUG=godebug, and
// returns its exit status; its output is passed through.
func rerun(args []string, godebug string) int {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GODEBUG="+godebug)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		return exit.ExitCode()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "running the tests with GODEBUG="+godebug+":", err)
		return 1
	}
	return 0
}

// withXConnect sets http2xconnect in a GODEBUG value, replacing any.
func withXConnect(godebug, value string) string {
	var keep []string
	for s := range strings.SplitSeq(godebug, ",") {
		if s != "" && !strings.HasPrefix(s, "http2xconnect=") {
			keep = append(keep, s)
		}
	}
	return strings.Join(append(keep, "http2xconnect="+value), ",")
}

// request is what the server saw of one request.
type request struct {
	path, method, protocol string
	proto                  int
	remote                 string // the TCP connection it came on
}

// ANCHOR: h2-browser-server

// startH2Echo serves the echo's page and /ws over HTTP/2 with TLS (the
// way a browser reaches a wss:// server) and records every request the
// server's side saw. It returns the server, the record, and the Chromium
// flag that makes the browser trust the test's certificate: the base64
// SHA-256 of its public key (SPKI).
func startH2Echo(t *testing.T) (*httptest.Server, func() []request,
	chromedp.ExecAllocatorOption) {
	var mu sync.Mutex
	var seen []request
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.Handle("/ws", &echoHandler{origins: &policy.Origins{}, tracker: &serve.Server{},
		maxSize: handshake.DefaultMaxMessageSize})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		mu.Lock()
		seen = append(seen, request{r.URL.Path, r.Method, r.Header.Get(":protocol"),
			r.ProtoMajor, r.RemoteAddr})
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = chromiumServerLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	spki := sha256.Sum256(srv.Certificate().RawSubjectPublicKeyInfo)
	trust := chromedp.Flag("ignore-certificate-errors-spki-list",
		base64.StdEncoding.EncodeToString(spki[:]))
	record := func() []request {
		mu.Lock()
		defer mu.Unlock()
		return append([]request(nil), seen...)
	}
	return srv, record, trust
}

// ANCHOR_END: h2-browser-server

// find returns the first request for path.
func find(t *testing.T, seen []request, path string) request {
	t.Helper()
	for _, r := range seen {
		if r.path == path {
			return r
		}
	}
	t.Fatalf("no request for %s among %v", path, seen)
	return request{}
}

// ANCHOR: test-h2-chromium

// TestH2InChromium: Chromium loads the page over HTTP/2, then opens its
// WebSocket as an RFC 8441 extended CONNECT on the same TCP connection,
// and the echo works. The proof is the server's side of the requests:
// the page is a GET over HTTP/2; /ws is a CONNECT over HTTP/2 with
// :protocol websocket, from the same remote address and port.
func TestH2InChromium(t *testing.T) {
	srv, record, trust := startH2Echo(t)
	ctx := webtest.Browser(t, trust)
	webtest.EchoInPage(t, ctx, srv.URL+"/", "hello over one stream")

	seen := record()
	page, ws := find(t, seen, "/"), find(t, seen, "/ws")
	assert.Equal(t, request{"/", http.MethodGet, "", 2, page.remote}, page)
	assert.Equal(t, request{"/ws", http.MethodConnect, "websocket", 2, page.remote}, ws,
		"the WebSocket must come as an extended CONNECT on the page's connection")
}

// ANCHOR_END: test-h2-chromium

// ANCHOR: test-h2-chromium-off

// TestH2InChromiumWithoutXConnect: the same page and server in a process
// without GODEBUG=http2xconnect=1. Go's server then does not advertise
// SETTINGS_ENABLE_CONNECT_PROTOCOL, and Chromium opens its WebSocket the
// old way: a GET with Upgrade over HTTP/1.1, on a TCP connection of its
// own. (This is how every Go server behaves by default since Go 1.24.)
func TestH2InChromiumWithoutXConnect(t *testing.T) {
	if !strings.Contains(os.Getenv("GODEBUG"), "http2xconnect=0") {
		if webtest.ChromiumPath() == "" {
			webtest.RequireTool(t, false, "Chromium", "apt-get install chromium")
		}
		code := rerun([]string{"-test.run=^TestH2InChromiumWithoutXConnect$",
			"-test.v=" + strconv.FormatBool(testing.Verbose())},
			withXConnect(os.Getenv("GODEBUG"), "0"))
		require.Equal(t, 0, code, "the child test failed (its output is above)")
		return
	}
	srv, record, trust := startH2Echo(t)
	ctx := webtest.Browser(t, trust)
	webtest.EchoInPage(t, ctx, srv.URL+"/", "hello over HTTP/1.1")

	seen := record()
	page, ws := find(t, seen, "/"), find(t, seen, "/ws")
	assert.Equal(t, 2, page.proto, "the page still comes over HTTP/2")
	assert.Equal(t, request{"/ws", http.MethodGet, "", 1, ws.remote}, ws)
	assert.NotEqual(t, page.remote, ws.remote,
		"the WebSocket has a TCP connection of its own")
}

// ANCHOR_END: test-h2-chromium-off

// ANCHOR: test-h2-gorilla

// TestH2BreaksAnUpgradeOnlyServer is golang/go#71128 in a test: a Go
// server with GODEBUG=http2xconnect=1 advertises extended CONNECT on every
// HTTP/2 connection, so Chromium sends its WebSocket as a CONNECT; a
// WebSocket library that knows only the HTTP/1.1 Upgrade (here gorilla,
// v1.5.3) refuses it, and the browser does not try again over HTTP/1.1:
// the page gets 1006 and no WebSocket. Our own echo on the same server
// accepts it (TestH2InChromium).
func TestH2BreaksAnUpgradeOnlyServer(t *testing.T) {
	var mu sync.Mutex
	var seen []request
	var refusals []string
	upgrader := gorilla.Upgrader{}
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler())
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			mu.Lock()
			refusals = append(refusals, err.Error())
			mu.Unlock()
			return
		}
		conn.Close()
	})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		mu.Lock()
		seen = append(seen, request{r.URL.Path, r.Method, r.Header.Get(":protocol"),
			r.ProtoMajor, r.RemoteAddr})
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = chromiumServerLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	spki := sha256.Sum256(srv.Certificate().RawSubjectPublicKeyInfo)
	ctx := webtest.Browser(t, chromedp.Flag("ignore-certificate-errors-spki-list",
		base64.StdEncoding.EncodeToString(spki[:])))

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")))
	webtest.WaitForLog(t, ctx, "connection closed with code 1006")

	mu.Lock()
	defer mu.Unlock()
	var ws []request
	for _, r := range seen {
		if r.path == "/ws" {
			ws = append(ws, r)
		}
	}
	require.Len(t, ws, 1, "one attempt, and no retry over HTTP/1.1")
	assert.Equal(t, request{"/ws", http.MethodConnect, "websocket", 2, ws[0].remote},
		ws[0])
	require.Len(t, refusals, 1)
	// One line per ": " of its error chain, to fit a terminal.
	t.Logf("gorilla said:\n%s", strings.ReplaceAll(refusals[0], ": ", ":\n"))
	assert.Contains(t, refusals[0],
		"websocket: the client is not using the websocket protocol")
}

// ANCHOR_END: test-h2-gorilla
