// x/net's http2.Transport is deprecated ("Use http.Transport instead"),
// but in Go 1.26 net/http's Transport cannot send extended CONNECT: it
// refuses the ":protocol" pseudo-header (TestDialH2NeedsAnHTTP2RoundTripper).
//
//lint:file-ignore SA1019 the one Go client that can send :protocol
package handshake

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
)

// seenRequest is what an HTTP/2 test server saw of one request.
type seenRequest struct {
	proto    int    // r.ProtoMajor
	method   string // r.Method
	protocol string // r.Header[":protocol"]
	remote   string // r.RemoteAddr: the TCP connection it came on
}

// h2Server is an httptest server speaking HTTP/2 over TLS, with a record
// of every request and of how each WebSocket ended.
type h2Server struct {
	*httptest.Server
	url   string           // wss://127.0.0.1:port
	rt    *http2.Transport // a client that trusts the server
	ended chan error       // one error per WebSocket, when its handler ends

	mu    sync.Mutex
	seen  []seenRequest
	conns int // TCP connections accepted
}

// ANCHOR: h2-server

// startH2 serves the handler that handler makes over HTTP/2 with TLS, as a
// browser would reach a wss:// server, and returns it with an HTTP/2
// client for it: x/net's Transport, because net/http's refuses to send the
// :protocol pseudo-header. configure, if not nil, adjusts the http.Server.
func startH2(t testing.TB, handler func(s *h2Server) http.HandlerFunc,
	configure func(*http.Server)) *h2Server {
	s := &h2Server{ended: make(chan error, 64)}
	h := handler(s)
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, seenRequest{r.ProtoMajor, r.Method,
			r.Header.Get(":protocol"), r.RemoteAddr})
		s.mu.Unlock()
		h(w, r)
	}))
	s.EnableHTTP2 = true
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	if configure != nil {
		configure(s.Config)
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	s.url = "wss" + strings.TrimPrefix(s.URL, "https")
	tlsConfig := s.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	s.rt = &http2.Transport{TLSClientConfig: tlsConfig}
	t.Cleanup(s.rt.CloseIdleConnections)
	return s
}

// ANCHOR_END: h2-server

// echoHandler upgrades with opts and echoes every message inside the
// handler, as a WebSocket on an HTTP/2 stream must (the stream ends when
// the handler returns).
func echoOver(opts *Options) func(s *h2Server) http.HandlerFunc {
	return func(s *h2Server) http.HandlerFunc { return s.echoHandler(opts) }
}

func (s *h2Server) echoHandler(opts *Options) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := Upgrade(w, r, opts)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			op, msg, err := c.ReadMessage()
			if err == nil && string(msg) == "close 4001" {
				err = c.CloseWith(4001, "asked to")
			}
			if err == nil {
				err = c.WriteMessage(op, msg)
			}
			if err != nil {
				s.ended <- err
				return
			}
		}
	}
}

// requests returns a copy of what the server saw.
func (s *h2Server) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// dial opens a WebSocket over HTTP/2 to path and closes it when the test ends.
func (s *h2Server) dial(t testing.TB, path string, header http.Header) (*Conn, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, resp, err := DialH2(ctx, s.rt, s.url+path, header)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, resp
}

// waitEnded returns how the next WebSocket on the server ended.
func (s *h2Server) waitEnded(t testing.TB) error {
	t.Helper()
	select {
	case err := <-s.ended:
		return err
	case <-time.After(testTimeout):
		t.Fatal("the server's WebSocket did not end")
		return nil
	}
}

// ANCHOR: test-h2-echo

// TestH2Echo: a WebSocket over HTTP/2 echoes text and binary messages, and
// the server's side shows the HTTP/2 path: the request came as HTTP/2 with
// the method CONNECT and :protocol websocket, and the answer was 200 with
// no Sec-WebSocket-Accept.
func TestH2Echo(t *testing.T) {
	s := startH2(t, echoOver(nil), nil)
	c, resp := s.dial(t, "/ws", nil)

	assert.Equal(t, 2, resp.ProtoMajor)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Values("Sec-WebSocket-Accept"))
	assert.Equal(t, []seenRequest{{2, http.MethodConnect, "websocket",
		s.requests()[0].remote}}, s.requests())

	for _, m := range []struct {
		op  Opcode
		msg string
	}{{OpText, "hello over HTTP/2"}, {OpBinary, "\x00\x01\x02"}, {OpText,
		strings.Repeat("x", 100_000)}} {
		require.NoError(t, c.WriteMessage(m.op, []byte(m.msg)))
		op, got, err := c.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, m.op, op)
		assert.Equal(t, m.msg, string(got))
	}
	require.NoError(t, c.CloseWith(CloseNormal, "bye"))
	ce, ok := errors.AsType[*CloseError](s.waitEnded(t))
	require.True(t, ok)
	assert.Equal(t, CloseNormal, ce.Code)
	assert.Equal(t, "bye", ce.Reason)
}

// ANCHOR_END: test-h2-echo

// TestH2CloseCodes: the closing handshake and failures run over the stream
// as over TCP, each with its close code.
func TestH2CloseCodes(t *testing.T) {
	cases := []struct {
		name string
		op   Opcode
		send string
		code int // what the client reads
	}{
		{"the server closes", OpText, "close 4001", 4001},
		{"a message over the limit", OpBinary, strings.Repeat("x", 65), CloseTooBig},
		{"text that is not UTF-8", OpText, "\xff\xfe", CloseInvalidData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startH2(t, echoOver(&Options{MaxMessageSize: 64}), nil)
			c, _ := s.dial(t, "/ws", nil)
			start := time.Now()
			require.NoError(t, c.WriteMessage(tc.op, []byte(tc.send)))
			_, _, err := c.ReadMessage()
			ce, ok := errors.AsType[*CloseError](err)
			require.True(t, ok, "read returned %v", err)
			assert.Equal(t, tc.code, ce.Code)
			s.waitEnded(t)
			// Over TCP a failing server drains until the peer hangs up; on
			// a stream both sides would wait for the other to end it, and
			// the server would sit out the whole CloseGrace.
			assert.Less(t, time.Since(start), CloseGrace, "the server waited for a stream end that the client leaves to it")
		})
	}
}

// ANCHOR: test-h2-refusals

// TestH2Refusals: an HTTP/2 request that is not a good RFC 8441 handshake
// gets its status and reason, and no WebSocket.
func TestH2Refusals(t *testing.T) {
	cases := []struct {
		name    string
		method  string
		header  map[string]string // ":protocol" included
		status  int
		reason  string
		extraOK func(t *testing.T, h http.Header)
	}{
		{"a GET", http.MethodGet, map[string]string{"Sec-WebSocket-Version": "13"}, 405,
			"extended CONNECT",
			func(t *testing.T, h http.Header) {
				assert.Equal(t, "CONNECT",
					h.Get("Allow"))
			}},
		{"a CONNECT without :protocol", http.MethodConnect,
			map[string]string{"Sec-WebSocket-Version": "13"}, 400, ":protocol", nil},
		{"another protocol", http.MethodConnect,
			map[string]string{":protocol": "webtransport",
				"Sec-WebSocket-Version": "13"}, 400, ":protocol", nil},
		{"no version", http.MethodConnect, map[string]string{":protocol": "websocket"},
			426, "Version 13",
			func(t *testing.T, h http.Header) {
				assert.Equal(t, "13",
					h.Get("Sec-WebSocket-Version"))
			}},
		{"version 8", http.MethodConnect, map[string]string{":protocol": "websocket",
			"Sec-WebSocket-Version": "8"}, 426, "Version 13",
			func(t *testing.T, h http.Header) {
				assert.Equal(t, "13",
					h.Get("Sec-WebSocket-Version"))
			}},
		{"a cross-site page", http.MethodConnect,
			map[string]string{":protocol": "websocket", "Sec-WebSocket-Version": "13",
				"Origin": "https://evil.example"}, 403, "cross-origin", nil},
	}
	s := startH2(t, echoOver(nil), nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, s.URL+"/ws", nil)
			require.NoError(t, err)
			for k, v := range tc.header {
				if strings.HasPrefix(k, ":") {
					req.Header[k] = []string{v}
				} else {
					req.Header.Set(k, v)
				}
			}
			resp, err := s.rt.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, 2, resp.ProtoMajor)
			assert.Equal(t, tc.status, resp.StatusCode)
			body := make([]byte, 200)
			n, _ := resp.Body.Read(body)
			assert.Contains(t, string(body[:n]), tc.reason)
			if tc.extraOK != nil {
				tc.extraOK(t, resp.Header)
			}
		})
	}
	select {
	case err := <-s.ended:
		t.Fatalf("a refused request ran a WebSocket: %v", err)
	default:
	}
}

// ANCHOR_END: test-h2-refusals

// ANCHOR: test-h2-many

// TestH2ManySocketsOneConnection: sixteen WebSockets to one server share
// one TCP connection, each on a stream of its own, and talk at once.
func TestH2ManySocketsOneConnection(t *testing.T) {
	const sockets, messages = 16, 20
	s := startH2(t, echoOver(nil), nil)
	conns := make([]*Conn, sockets)
	for i := range conns {
		conns[i], _ = s.dial(t, "/ws", nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, sockets)
	for i, c := range conns {
		wg.Go(func() {
			for j := range messages {
				want := strings.Repeat(string(rune('a'+i)), j+1)
				if err := c.WriteMessage(OpText, []byte(want)); err != nil {
					errs <- err
					return
				}
				if _, got, err := c.ReadMessage(); err != nil || string(got) != want {
					errs <- errors.Join(err, errors.New("wrong echo: "+string(got)))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	seen := s.requests()
	require.Len(t, seen, sockets)
	for _, r := range seen {
		assert.Equal(t, seenRequest{2, http.MethodConnect, "websocket", seen[0].remote},
			r, "every socket came on the same TCP connection")
	}
	s.mu.Lock()
	assert.Equal(t, 1, s.conns, "TCP connections accepted")
	s.mu.Unlock()
}

// ANCHOR_END: test-h2-many

// ANCHOR: test-h2-stalled

// TestH2StalledStreamLeavesOthersAlone: a client that stops reading one
// WebSocket fills that stream's flow-control window (x/net's client
// grants 4 MiB a stream) and the server's writes to it block; another
// WebSocket on the same TCP connection still echoes. When the stalled
// socket is closed, its blocked write returns and its handler ends.
func TestH2StalledStreamLeavesOthersAlone(t *testing.T) {
	const chunk = 64 << 10
	const frame = 10 + chunk // a 64 KiB message's frame: a 10-byte header
	written := make(chan int, 1024)
	s := startH2(t, func(s *h2Server) http.HandlerFunc {
		echo := s.echoHandler(nil)
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/push" {
				echo(w, r)
				return
			}
			c, err := Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer c.Close()
			msg := make([]byte, chunk)
			for total := 0; ; total += frame {
				written <- total + frame // the stream's bytes once this write is done
				if err := c.WriteMessage(OpBinary, msg); err != nil {
					s.ended <- err
					return
				}
			}
		}
	}, nil)
	stalled, _ := s.dial(t, "/push", nil) // never read
	for total := range written {
		if total > 4<<20 { // more than the window: this write blocks
			break
		}
	}

	other, _ := s.dial(t, "/ws", nil)
	require.NoError(t, other.WriteMessage(OpText, []byte("still here")))
	_, got, err := other.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, "still here", string(got))
	select {
	case err := <-s.ended:
		t.Fatalf("the stalled socket's write returned before we closed it: %v", err)
	default:
	}
	require.Len(t, s.requests(), 2)
	assert.Equal(t, s.requests()[0].remote, s.requests()[1].remote,
		"both on one TCP connection")

	stalled.Close()
	assert.Error(t, s.waitEnded(t))
}

// ANCHOR_END: test-h2-stalled

// TestH2WriteDeadlineOnAStalledStream: with a write deadline, a write
// blocked by a client that stopped reading returns a timeout, and the
// stream is reset so the client learns it too.
func TestH2WriteDeadlineOnAStalledStream(t *testing.T) {
	s := startH2(t, func(s *h2Server) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			c, err := Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer c.Close()
			msg := make([]byte, 64<<10)
			for {
				c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
				if err := c.WriteMessage(OpBinary, msg); err != nil {
					s.ended <- err
					return
				}
			}
		}
	}, nil)
	c, _ := s.dial(t, "/push", nil)
	err := s.waitEnded(t)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)

	readErr := make(chan error, 1)
	go func() {
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				readErr <- err
				return
			}
		}
	}()
	select {
	case err := <-readErr:
		assert.Error(t, err)
	case <-time.After(testTimeout):
		t.Fatal("the client never learnt that its stream was reset")
	}
}

// The keepalive of the HTTP/2 tests leaves the pong more time than
// keepalive_test.go's (950 ms, not 80): on a stream it passes through
// three goroutines more on each side, and a loaded machine (a load of 22
// on 2 cores, under -race) once took longer than 450 ms.
const (
	h2PingPeriod = 50 * time.Millisecond
	h2PongWait   = time.Second
)

// TestH2KeepaliveDropsASilentPeer: the keepalive works on a stream: the
// read deadline passes (a ping goes out), is moved, passes again, and the
// peer that answered nothing is dropped with the keepalive's error.
// HTTP/2's own read deadline could not do this: it closes the body the
// first time it passes.
func TestH2KeepaliveDropsASilentPeer(t *testing.T) {
	s := startH2(t, echoOver(&Options{PingPeriod: h2PingPeriod, PongWait: h2PongWait}), nil)
	s.dial(t, "/ws", nil) // never reads, so never answers a ping
	err := s.waitEnded(t)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.ErrorContains(t, err, "no frame from the peer for 1s")
}

// TestH2KeepaliveKeepsALivePeer: a peer that answers the pings stays for
// many PongWaits and can still talk.
func TestH2KeepaliveKeepsALivePeer(t *testing.T) {
	s := startH2(t, echoOver(&Options{PingPeriod: h2PingPeriod, PongWait: h2PongWait}), nil)
	c, _ := s.dial(t, "/ws", nil)
	echoes := make(chan string, 1)
	go func() {
		for {
			_, msg, err := c.ReadMessage() // answers the server's pings
			if err != nil {
				return
			}
			echoes <- string(msg)
		}
	}()
	quiet := time.NewTimer(3 * h2PongWait) // the peer says nothing but pongs
	select {
	case err := <-s.ended:
		t.Fatalf("the live peer was dropped: %v", err)
	case <-quiet.C:
	}
	require.NoError(t, c.WriteMessage(OpText, []byte("still here")))
	select {
	case got := <-echoes:
		assert.Equal(t, "still here", got)
	case err := <-s.ended:
		t.Fatalf("the live peer was dropped: %v", err)
	case <-time.After(testTimeout):
		t.Fatal("no echo")
	}
}

// TestH2ServerTimeoutsDoNotCutTheSocket: the http.Server's WriteTimeout
// and ReadTimeout apply to every HTTP/2 stream; Upgrade clears them, so a
// WebSocket outlives them.
func TestH2ServerTimeoutsDoNotCutTheSocket(t *testing.T) {
	// Long enough for the TLS handshake, which the same timeouts bound,
	// on a loaded machine.
	const timeout = time.Second
	s := startH2(t, echoOver(&Options{PongWait: -1}), func(srv *http.Server) {
		srv.WriteTimeout, srv.ReadTimeout = timeout, timeout
	})
	c, _ := s.dial(t, "/ws", nil)
	time.Sleep(2 * timeout) // the behaviour under test is time passing
	require.NoError(t, c.WriteMessage(OpText, []byte("later")))
	_, got, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, "later", string(got))
}

// ANCHOR: test-h2-off

// TestH2WithoutXConnect: without GODEBUG=http2xconnect=1, Go's HTTP/2
// server does not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL, and x/net's
// client will not even send the extended CONNECT. The test runs itself in
// a child process with http2xconnect=0.
func TestH2WithoutXConnect(t *testing.T) {
	if !strings.Contains(os.Getenv("GODEBUG"), "http2xconnect=0") {
		code := rerun([]string{"-test.run=^TestH2WithoutXConnect$",
			"-test.v=" + strconv.FormatBool(testing.Verbose())},
			joinGODEBUG(os.Getenv("GODEBUG"), "http2xconnect=0"))
		require.Equal(t, 0, code, "the child test failed (its output is above)")
		return
	}
	assert.False(t, ExtendedConnectEnabled())
	s := startH2(t, echoOver(nil), nil)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, _, err := DialH2(ctx, s.rt, s.url+"/ws", nil)
	if err == nil {
		c.Close()
	}
	require.ErrorContains(t, err, "extended connect not supported by peer")
	assert.Empty(t, s.requests(), "no request reached the handler")
}

// ANCHOR_END: test-h2-off

// TestDialH2RefusesHTTP: net/http's own Transport cannot send :protocol,
// which is why DialH2 takes a RoundTripper.
func TestDialH2NeedsAnHTTP2RoundTripper(t *testing.T) {
	s := startH2(t, echoOver(nil), nil)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_, _, err := DialH2(ctx, s.Client().Transport, s.url+"/ws", nil)
	require.ErrorContains(t, err, `invalid header field name ":protocol"`)
	_, _, err = DialH2(ctx, s.rt, "ws://"+s.Listener.Addr().String()+"/ws", nil)
	require.ErrorContains(t, err, "needs a wss:// URL")
}

// TestH2IsEnabledForTheseTests: TestMain did its job.
func TestH2IsEnabledForTheseTests(t *testing.T) {
	if strings.Contains(os.Getenv("GODEBUG"), "http2xconnect=0") {
		t.Skip("this run has http2xconnect=0 on purpose")
	}
	assert.True(t, ExtendedConnectEnabled())
}

// TestH2VanishedClientEndsEverySocket: a client whose TCP connection dies
// (no close frame, no RST_STREAM, no GOAWAY) takes every WebSocket on it
// with it: each handler's read fails, and each handler ends.
func TestH2VanishedClientEndsEverySocket(t *testing.T) {
	const sockets = 8
	s := startH2(t, echoOver(nil), nil)
	var mu sync.Mutex
	var tcp []net.Conn
	s.rt.DialTLSContext = func(ctx context.Context, network, addr string, cfg *tls.Config) (net.Conn, error) {
		c, err := (&tls.Dialer{Config: cfg}).DialContext(ctx, network, addr)
		mu.Lock()
		tcp = append(tcp, c)
		mu.Unlock()
		return c, err
	}
	for range sockets {
		c, _ := s.dial(t, "/ws", nil)
		require.NoError(t, c.WriteMessage(OpText, []byte("hi")))
		_, _, err := c.ReadMessage()
		require.NoError(t, err)
	}
	mu.Lock()
	require.Len(t, tcp, 1, "all sockets on one TCP connection")
	tcp[0].(*tls.Conn).NetConn().Close() // gone, without a word
	mu.Unlock()
	for range sockets {
		assert.Error(t, s.waitEnded(t))
	}
}
