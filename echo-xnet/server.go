package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"net/http"
	"time"

	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
	"golang.org/x/net/websocket"
)

// errCrossOrigin makes websocket.Server answer 403 Forbidden.
var errCrossOrigin = errors.New("cross-origin WebSocket request refused")

// tracker is what the echo needs of a serve.Server: a goodbye at shutdown.
type tracker interface {
	Track(goingAway func()) (done func())
}

// echoServer is the /ws (or /echo) handler.
type echoServer struct {
	origins *policy.Origins
	tracker tracker
	// prefix goes in front of every text message echoed: "Received: " on
	// /ws, as in the original chapter; nothing on /echo, the exact echo
	// that test suites such as Autobahn expect.
	prefix []byte
	// maxMessage is the largest frame read (maxMessageSize if zero).
	maxMessage int
	// pingPeriod, pongWait and writeWait override the constants when set
	// (tests use milliseconds, so that a dropped peer does not take a minute).
	pingPeriod, pongWait, writeWait time.Duration
}

// newEchoServer returns the /ws handler, with the production timeouts.
func newEchoServer(origins *policy.Origins, tracker tracker) *echoServer {
	return &echoServer{origins: origins, tracker: tracker, prefix: []byte("Received: ")}
}

// ANCHOR: server

// ServeHTTP answers one handshake with a websocket.Server, not a
// websocket.Handler: Handler runs its own origin check, which refuses every
// client that sends no Origin header (curl, Go, Python) and accepts an
// Origin from any site at all. A Server with our own Handshake func applies
// the workbook's policy instead. When Handshake returns an error, x/net
// answers 403 Forbidden and never calls the handler.
func (s *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := &hijacker{ResponseWriter: w, pongWait: cmp.Or(s.pongWait, pongWait),
		writeWait: cmp.Or(s.writeWait, writeWait)}
	refused, upgraded := "", false
	ws := websocket.Server{
		Handshake: func(_ *websocket.Config, r *http.Request) error {
			if !s.origins.Allow(r) {
				refused = "cross-origin request from Origin " + r.Header.Get("Origin")
				return errCrossOrigin
			}
			return nil
		},
		Handler: func(ws *websocket.Conn) {
			upgraded = true
			s.echo(ws, h.wire)
		},
	}
	ws.ServeHTTP(h, r)
	if !upgraded {
		logRefusal(r, h.wire, refused)
	}
}

// ANCHOR_END: server

// ANCHOR: log-refused

// logRefusal logs a handshake that x/net refused. x/net writes its refusal
// straight to the socket and tells no one, so we read it back off the wire:
// the status line, and the body, where x/net puts its reason. A refusal of
// our own Handshake func (403) has no body; ours is the reason given.
func logRefusal(r *http.Request, w *wire, reason string) {
	status := http.StatusBadRequest
	if w != nil {
		if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(w.refusal())), r); err == nil {
			status = resp.StatusCode
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			reason = cmp.Or(reason, body.String())
		}
	}
	serve.LogRefused(r, status, cmp.Or(reason, http.StatusText(status)))
}

// ANCHOR_END: log-refused
