package tap

import (
	"bytes"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// waitFor bounds the waits for something the server does on a timer of its
// own (a token expiring, a write timing out): polled, never slept on.
const waitFor = 5 * time.Second

// TestNoWatchingWithoutTheToken: /inspect answers only the token that was
// made for it, once, from this server's own origin.
func TestNoWatchingWithoutTheToken(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	watched := s.token(t)
	s.inspector(t, watched) // the page's own inspector
	cases := []struct {
		name   string
		path   string
		origin string
		status int
	}{
		{"no token", "/inspect", "", http.StatusNotFound},
		{"a guessed token", "/inspect?token=AAAAAAAAAAAAAAAAAAAAAA", "", http.StatusNotFound},
		{"someone else's token, already watched", "/inspect?token=" + watched, "", http.StatusNotFound},
		{"a page from another site, with a live token", "/inspect?token=" + s.token(t), "http://evil.example", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := webtest.RawHandshake(t, s.URL, tc.path, "dGhlIHNhbXBsZSBub25jZQ==", tc.origin)
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}

	t.Run("a token from another site's page is refused", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, s.URL+"/inspect/new", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", "http://evil.example")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})

	t.Run("GET /inspect/new makes no token", func(t *testing.T) {
		resp, err := http.Get(s.URL + "/inspect/new")
		require.NoError(t, err)
		resp.Body.Close()
		assert.NotEqual(t, http.StatusOK, resp.StatusCode)
	})
}

// TestATokenWatchesOneConnection: a second connection that presents a
// token already bound is not watched: its messages never reach the
// inspector of the first.
func TestATokenWatchesOneConnection(t *testing.T) {
	s := startTapped(t, new(Tap), echoOptions{})
	token := s.token(t)
	records := s.inspector(t, token)
	first := dial(t, s.ws("/ws?inspect="+token))
	second := dial(t, s.ws("/ws?inspect="+token))
	echo(t, second, handshake.OpText, []byte("the second connection"))
	echo(t, first, handshake.OpText, []byte("the first connection"))
	require.Equal(t, KindHandshake, next(t, records).Kind)
	in := next(t, records).Frame
	require.NotNil(t, in)
	assert.Equal(t, "the first connection", *in.Text)
}

// TestTenThousandTokens: a client that asks for 10,000 tokens gets
// MaxSessions of them and 503 for the rest.
func TestTenThousandTokens(t *testing.T) {
	tp := &Tap{TokenTTL: time.Hour} // no token expires while the 10,000 requests run
	s := startTapped(t, tp, echoOptions{})
	codes := map[int]int{}
	for range 10000 {
		resp, err := http.Post(s.URL+"/inspect/new", "", nil)
		require.NoError(t, err)
		resp.Body.Close()
		codes[resp.StatusCode]++
	}
	assert.Equal(t, map[int]int{http.StatusOK: MaxSessions, http.StatusServiceUnavailable: 10000 - MaxSessions}, codes)
	assert.Equal(t, MaxSessions, tp.Sessions())
}

// TestUnusedTokensExpire: a token that no inspector opens within TokenTTL
// is gone, and its connection is no longer watched; then a page gets a
// token again.
func TestUnusedTokensExpire(t *testing.T) {
	tp := &Tap{TokenTTL: time.Second}
	s := startTapped(t, tp, echoOptions{})
	for range MaxSessions - 1 {
		s.token(t)
	}
	c := dial(t, s.ws("/ws?inspect="+s.token(t))) // bound, never inspected
	require.Eventually(t, func() bool { return tp.Sessions() == 0 }, waitFor, 10*time.Millisecond, "unused tokens expire")
	echo(t, c, handshake.OpText, []byte("hi"))
	tp.mu.Lock()
	for _, conn := range tp.conns {
		assert.NotEqual(t, stateWatch, conn.state.Load(), "an expired token's connection is not watched")
	}
	tp.mu.Unlock()
	s.token(t)
}

// TestAnInspectorThatNeverReads cannot slow the echo down: records it does
// not take are dropped, and after WriteWait it is closed, and the
// connection is no longer watched.
func TestAnInspectorThatNeverReads(t *testing.T) {
	tp := &Tap{WriteWait: 200 * time.Millisecond}
	s := startTapped(t, tp, echoOptions{})
	token := s.token(t)
	stuck := rawUpgrade(t, s, "/inspect?token="+token, "", nil) // never read
	defer stuck.Close()
	c := dial(t, s.ws("/ws?inspect="+token))

	// 40,000 records of some 500 bytes: more than the socket buffers
	// towards the inspector hold, so its writer blocks.
	msg := bytes.Repeat([]byte("z"), 100)
	start := time.Now()
	for range 20000 {
		echo(t, c, handshake.OpBinary, msg)
	}
	t.Logf("20,000 echoes with a stuck inspector: %v", time.Since(start))
	require.Eventually(t, func() bool { return tp.Sessions() == 0 }, waitFor, 10*time.Millisecond,
		"the stuck inspector is dropped after WriteWait")
	echo(t, c, handshake.OpText, []byte("still echoing"))
}

// TestDroppedRecordsAreCounted: a full queue drops records without
// blocking, and the count goes to the inspector ahead of the next record
// that fits.
func TestDroppedRecordsAreCounted(t *testing.T) {
	s := &session{q: make(chan Record, QueueLen)}
	for range QueueLen + 10 {
		s.push(Record{Kind: KindFrame})
	}
	assert.Len(t, s.q, QueueLen)
	<-s.q
	<-s.q
	s.push(Record{Kind: KindClosed})
	for range QueueLen - 2 {
		<-s.q
	}
	assert.Equal(t, Record{Kind: KindDropped, Dropped: 10}, <-s.q)
	assert.Equal(t, Record{Kind: KindClosed}, <-s.q)
}

// TestGoroutinesAndSessionsAreBounded: 50 pages that come and go, with
// their inspectors, leave no session and no goroutine behind.
func TestGoroutinesAndSessionsAreBounded(t *testing.T) {
	tp := new(Tap)
	s := startTapped(t, tp, echoOptions{})
	before := runtime.NumGoroutine()
	for range 50 {
		token := s.token(t)
		records := s.inspector(t, token)
		c := dial(t, s.ws("/ws?inspect="+token))
		echo(t, c, handshake.OpText, []byte("hi"))
		require.NoError(t, c.CloseWith(handshake.CloseNormal, ""))
		closes(t, records)
	}
	require.Eventually(t, func() bool { return tp.Sessions() == 0 && runtime.NumGoroutine() <= before+5 },
		waitFor, 10*time.Millisecond, "sessions %d, goroutines %d (before: %d)", tp.Sessions(), runtime.NumGoroutine(), before)
}

// TestUnwatchedWebSocketsLeaveTheTap: a WebSocket without a token is
// handed the bare TCP connection at its Hijack, and the tap forgets it; a
// watched one keeps the tap's Conn.
func TestUnwatchedWebSocketsLeaveTheTap(t *testing.T) {
	tp := new(Tap)
	got := make(chan net.Conn, 2)
	srv := &serve.Server{Addr: "127.0.0.1:0", Listen: tp.Listen}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := handshake.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		got <- conn.NetConn()
		go func() {
			defer conn.Close()
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
	})
	tp.Register(mux, new(policy.Origins), srv)
	srv.Handler = tp.Handler(mux)
	s := &testServer{URL: run(t, srv), tap: tp}

	dial(t, s.ws("/ws"))
	_, bare := (<-got).(*net.TCPConn)
	assert.True(t, bare, "an unwatched WebSocket gets the bare *net.TCPConn")

	token := s.token(t)
	s.inspector(t, token)
	dial(t, s.ws("/ws?inspect="+token))
	_, tapped := (<-got).(*Conn)
	assert.True(t, tapped, "a watched WebSocket keeps the tap's Conn")

	tp.mu.Lock()
	defer tp.mu.Unlock()
	for _, c := range tp.conns {
		assert.NotEqual(t, statePass, c.state.Load(), "an unwatched WebSocket is still in the tap's table")
	}
}

// TestAnInspectorIsNeverWatched: an inspector opened with ?inspect= for
// its own token would report its own reports for ever; it is refused, and
// the token is gone.
func TestAnInspectorIsNeverWatched(t *testing.T) {
	tp := new(Tap)
	s := startTapped(t, tp, echoOptions{})
	token := s.token(t)
	resp := webtest.RawHandshake(t, s.URL, "/inspect?token="+token+"&inspect="+token, "dGhlIHNhbXBsZSBub25jZQ==", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Zero(t, tp.Sessions())
}

// TestAnInspectorCannotHoldATokenForEver: an inspector whose token no
// connection takes within TokenTTL is closed, and the token is gone.
func TestAnInspectorCannotHoldATokenForEver(t *testing.T) {
	tp := &Tap{TokenTTL: time.Second}
	s := startTapped(t, tp, echoOptions{})
	records := s.inspector(t, s.token(t))
	select {
	case _, open := <-records:
		assert.False(t, open, "no records: nothing was watched")
	case <-time.After(waitFor):
		t.Fatal("the idle inspector is still open")
	}
	assert.Zero(t, tp.Sessions())
}
