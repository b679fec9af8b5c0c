package auth

import (
	"cmp"
	"crypto/rand"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

const (
	// sessionCookie is the name of the session cookie /login sets.
	sessionCookie = "session"

	// TicketTTL is how long a ticket is good for: long enough for a page to
	// open its socket right after asking, short enough that a ticket
	// copied from a log is useless by the time anyone reads it.
	TicketTTL = 30 * time.Second

	// writeWait bounds every write.
	writeWait = 10 * time.Second
)

// ticket is one unused ticket: who it is for, and until when.
type ticket struct {
	user    string
	expires time.Time
}

// Server holds sessions and tickets in memory and serves the endpoints:
// POST /login?user=NAME (sets the session cookie), POST /ticket (needs the
// session; answers a ticket), GET /ws/cookie and GET /ws/ticket (each says
// "hello NAME", then echoes).
type Server struct {
	// Origins is the origin policy of /ws/cookie (nil: same origin only).
	Origins *policy.Origins
	// CheckOrigin false turns the origin check off, to show what it stops.
	// New sets it true.
	CheckOrigin bool
	// Now is the clock (time.Now if nil); tests move it to expire tickets.
	Now func() time.Time

	// Tracker, if set, is told about every open socket, so that its
	// shutdown says goodbye (close 1001): a serve.Server.
	Tracker interface {
		Track(goingAway func()) (done func())
	}

	// noProtocolAnswer makes /ws/protocol answer without the subprotocol,
	// to show what a browser does then.
	noProtocolAnswer bool

	mu       sync.Mutex
	sessions map[string]string // session id → user
	tickets  map[string]ticket // ticket → its user and expiry
}

// New returns a Server with the origin check on.
func New() *Server {
	return &Server{CheckOrigin: true}
}

// Handler returns the server's endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /ticket", s.ticket)
	mux.HandleFunc("GET /ws/cookie", s.wsCookie)
	mux.HandleFunc("GET /ws/ticket", s.wsTicket)
	mux.HandleFunc("GET /ws/protocol", s.wsProtocol)
	return mux
}

// now is the server's clock.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// login starts a session for ?user=NAME. A real server checks a password
// here; the lesson is what happens after.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if user == "" {
		http.Error(w, "login needs ?user=NAME", http.StatusBadRequest)
		return
	}
	id := rand.Text()
	s.mu.Lock()
	if s.sessions == nil {
		s.sessions = map[string]string{}
	}
	s.sessions[id] = user
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
}

// sessionUser returns the user of the request's session cookie, or "".
func (s *Server) sessionUser(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[c.Value]
}

// ANCHOR: cookie

// wsCookie authenticates the handshake by its session cookie, and checks
// Origin first: the browser attached the cookie whichever page asked.
func (s *Server) wsCookie(w http.ResponseWriter, r *http.Request) {
	origins := cmp.Or(s.Origins, &policy.Origins{})
	if s.CheckOrigin && !origins.Allow(r) {
		serve.LogRefused(r, http.StatusForbidden,
			"cross-origin request from Origin "+r.Header.Get("Origin"))
		http.Error(w, "cross-origin WebSocket refused", http.StatusForbidden)
		return
	}
	user := s.sessionUser(r)
	if user == "" {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	s.serve(w, r, user)
}

// ANCHOR_END: cookie

// ANCHOR: ticket

// ticket issues a ticket to the request's session: 32 random bytes,
// usable once, within TicketTTL. The page asks for it with fetch, which
// the same-origin policy keeps other sites from reading.
func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	user := s.sessionUser(r)
	if user == "" {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	t := rand.Text()
	s.mu.Lock()
	if s.tickets == nil {
		s.tickets = map[string]ticket{}
	}
	s.tickets[t] = ticket{user: user, expires: s.now().Add(TicketTTL)}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(t))
}

// redeem takes the ticket out of the table, so it works once, and returns
// its user if it has not expired.
func (s *Server) redeem(t string) (user string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tk, found := s.tickets[t]
	delete(s.tickets, t)
	if !found || !s.now().Before(tk.expires) {
		return "", false
	}
	return tk.user, true
}

// wsTicket authenticates the handshake by its ticket, before the upgrade:
// an unknown, replayed or expired ticket gets 401 and no socket.
func (s *Server) wsTicket(w http.ResponseWriter, r *http.Request) {
	user, ok := s.redeem(r.URL.Query().Get("ticket"))
	if !ok {
		serve.LogRefused(r, http.StatusUnauthorized, "unknown, used or expired ticket")
		http.Error(w, "unknown, used or expired ticket", http.StatusUnauthorized)
		return
	}
	s.serve(w, r, user)
}

// ANCHOR_END: ticket

// ANCHOR: protocol

// ticketProtocol is the subprotocol a page offers, together with its
// ticket: new WebSocket(url, ["ticket", TICKET]). The ticket travels in the
// Sec-WebSocket-Protocol header, not in the URL, so it stays out of access
// logs, proxies' logs and the browser's history.
const ticketProtocol = "ticket"

// wsProtocol authenticates the handshake by a ticket offered as a second
// subprotocol. RFC 6455 §4.1: the server must answer with exactly one of
// the subprotocols the client offered, or none if it offered none; a
// browser that offered some and gets none (or two, or one it did not
// offer) fails the connection. So the answer is "ticket", never the ticket.
func (s *Server) wsProtocol(w http.ResponseWriter, r *http.Request) {
	offered := websocket.Subprotocols(r)
	if len(offered) != 2 || offered[0] != ticketProtocol {
		http.Error(w, `offer the subprotocols "ticket" and your ticket`,
			http.StatusUnauthorized)
		return
	}
	user, ok := s.redeem(offered[1])
	if !ok {
		serve.LogRefused(r, http.StatusUnauthorized, "unknown, used or expired ticket")
		http.Error(w, "unknown, used or expired ticket", http.StatusUnauthorized)
		return
	}
	answer := []string{ticketProtocol}
	if s.noProtocolAnswer {
		answer = nil
	}
	s.serve(w, r, user, answer...)
}

// ANCHOR_END: protocol

// serve upgrades, answering with the given subprotocols (at most one),
// greets the user and echoes until the peer leaves.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, user string, protocols ...string) {
	// The origin was checked (or, for a ticket, does not matter: another
	// site cannot read a ticket), so gorilla's own check is not wanted.
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }, Subprotocols: protocols}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	if s.Tracker != nil {
		done := s.Tracker.Track(func() {
			bye := websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down")
			if conn.WriteControl(websocket.CloseMessage, bye, time.Now().Add(serve.GoodbyeWait)) != nil {
				conn.Close()
			}
		})
		defer done()
	}
	conn.SetWriteDeadline(time.Now().Add(writeWait))
	if conn.WriteMessage(websocket.TextMessage, []byte("hello "+user)) != nil {
		return
	}
	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		conn.SetWriteDeadline(time.Now().Add(writeWait))
		if conn.WriteMessage(kind, msg) != nil {
			return
		}
	}
}
