package tap

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/policy"
)

// Tracker tracks an open WebSocket for a graceful shutdown, as
// serve.Server.Track does.
type Tracker interface {
	Track(goingAway func()) (done func())
}

// inspectorMaxMessage is the most the inspector reads from the page, which
// sends nothing but control frames.
const inspectorMaxMessage = 125

// Register adds the inspector's two routes to mux: POST /inspect/new
// (NewToken) and GET /inspect (Inspector). Both apply the origin policy
// origins, as /ws does.
func (t *Tap) Register(mux *http.ServeMux, origins *policy.Origins, tr Tracker) {
	mux.Handle("POST /inspect/new", t.NewToken(origins))
	mux.Handle("GET /inspect", t.Inspector(origins, tr))
}

// ANCHOR: new-token

// NewToken answers POST /inspect/new with a fresh token, as JSON:
// {"token":"…"}, 22 characters of base64url, 128 random bits. A page from
// another origin is refused (403), and cannot read the answer anyway (the
// same-origin policy); so the token is the capability to watch the one
// connection that will carry it, and only the page that asked holds it.
// With MaxSessions live it answers 503.
func (t *Tap) NewToken(origins *policy.Origins) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if !origins.Allow(r) {
			http.Error(w, "cross-origin request from "+r.Header.Get("Origin"),
				http.StatusForbidden)
			return
		}
		s, err := t.newSession()
		if err != nil {
			w.Header().Set("Retry-After", "30")
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"token": s.token})
	})
}

// ANCHOR_END: new-token

// ANCHOR: inspector

// Inspector answers GET /inspect?token=TOKEN: a WebSocket (package
// handshake's) that carries one JSON text message per Record of the
// connection that was opened with ?inspect=TOKEN, and closes with 1000
// after the connection's end. An unknown, expired or already watched
// token is refused with 404: no one watches a connection twice, and no
// one watches another page's.
func (t *Tap) Inspector(origins *policy.Origins, tr Tracker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !origins.Allow(r) {
			http.Error(w, "cross-origin request from "+r.Header.Get("Origin"),
				http.StatusForbidden)
			return
		}
		if c := t.connOf(r); c != nil {
			c.unwatch() // ?inspect= on /inspect itself
		}
		s := t.attach(r.URL.Query().Get("token"))
		if s == nil {
			http.Error(w,
				"no such inspection: the token is unknown, expired or watched already",
				http.StatusNotFound)
			return
		}
		conn, err := handshake.Upgrade(w, r,
			&handshake.Options{AllowOrigin: origins.Allow,
				MaxMessageSize: inspectorMaxMessage})
		if err != nil {
			t.finish(s)
			return
		}
		done := tr.Track(func() {
			conn.CloseWith(handshake.CloseGoingAway,
				"server shutting down")
		})
		go t.serveInspector(conn, s, done)
	})
}

// serveInspector sends the session's records until its connection ends,
// or the page goes, or a write takes longer than WriteWait (a page that
// does not read): then the session ends, and the connection is no longer
// watched.
func (t *Tap) serveInspector(conn *handshake.Conn, s *session, done func()) {
	defer done()
	go func() {
		// The page sends nothing, but reading answers its pings and
		// notices when it closes or goes.
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				t.finish(s)
				return
			}
		}
	}()
	for r := range s.q {
		if !t.send(conn, r) {
			t.finish(s)
			conn.Close()
			return
		}
	}
	if n := s.lost(); n > 0 {
		t.send(conn, Record{Kind: KindDropped, Dropped: n})
	}
	t.finish(s)
	conn.CloseWith(handshake.CloseNormal, "the connection is closed")
}

// ANCHOR_END: inspector

// send writes r to the inspector, within WriteWait.
func (t *Tap) send(conn *handshake.Conn, r Record) bool {
	msg, err := json.Marshal(r)
	if err != nil {
		return false
	}
	conn.SetWriteDeadline(time.Now().Add(t.writeWait()))
	return conn.WriteMessage(handshake.OpText, msg) == nil
}

// lost returns the records dropped since the last one queued.
func (s *session) lost() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.dropped
	s.dropped = 0
	return n
}
