package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

const (
	// sessionCookie is the cookie that carries the anonymous session id.
	sessionCookie = "chat_session"

	// storeWait bounds one question to the buckets.
	storeWait = 5 * time.Second
)

// ANCHOR: session

// page wraps the page's handler: GET / (the page itself) makes sure the
// browser holds a session, the only thing POST /ticket asks for. The chat
// has no login (a name is chosen at join), so a session says only "this
// browser loaded the page", which is what a cross-site page cannot fake.
func (g *gate) page(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && !g.ensureSession(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ensureSession keeps the request's session if it is valid and otherwise
// starts one: a cookie of 128 random bits, HttpOnly (no script reads it),
// SameSite=Strict (no other site's page sends it), Secure over TLS (it
// never crosses the network in the clear).
func (g *gate) ensureSession(w http.ResponseWriter, r *http.Request) bool {
	ctx, cancel := context.WithTimeout(r.Context(), storeWait)
	defer cancel()
	if c, err := r.Cookie(sessionCookie); err == nil {
		ok, err := g.validSession(ctx, c.Value)
		if err != nil {
			unavailable(w, r, err)
			return false
		}
		if ok {
			return true
		}
	}
	id, err := g.newSession(ctx)
	if err != nil {
		unavailable(w, r, err)
		return false
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
	w.Header().Set("Cache-Control", "no-store")
	return true
}

// ANCHOR_END: session

// ANCHOR: ticket-endpoint

// ticket is POST /ticket. It passes the same origin policy as /ws (a
// cross-site page gets 403), and answers a page of another origin that
// the policy admits with CORS headers, so that the page can read the
// ticket: the failover page, served by one chat process, asks the next
// one. Then it wants a valid session (401 without), and answers a fresh
// ticket, which no cache may keep.
func (g *gate) ticket(origins *policy.Origins) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if !origins.Allow(r) {
			why := "cross-origin request from Origin " + origin
			serve.LogRefused(r, http.StatusForbidden, why)
			const hint = "\n(start the server with -allow-origin to admit it)"
			http.Error(w, "403 forbidden: "+why+hint, http.StatusForbidden)
			return
		}
		if origin != "" {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		ctx, cancel := context.WithTimeout(r.Context(), storeWait)
		defer cancel()
		ok := false
		if c, err := r.Cookie(sessionCookie); err == nil {
			if ok, err = g.validSession(ctx, c.Value); err != nil {
				unavailable(w, r, err)
				return
			}
		}
		if !ok {
			unauthorized(w, r, "no session: load the chat page (GET /) first")
			return
		}
		c, _ := r.Cookie(sessionCookie)
		t, err := g.issue(ctx, c.Value)
		if err != nil {
			unavailable(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(t))
	}
}

// ANCHOR_END: ticket-endpoint

// postOnly answers GET /ticket: a ticket is asked for with POST, which
// a link or an <img> on another site cannot make.
func postOnly(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	http.Error(w, "405 method not allowed: POST /ticket", http.StatusMethodNotAllowed)
}

// ANCHOR: admit

// admit checks a handshake on /ws before the upgrade, and answers it if it
// fails: a cross-site page gets 403, a missing, malformed, unknown, used or
// expired ticket 401, and no socket is opened. A request that is no
// handshake at all is left to gorilla, which answers 400 without using up
// a ticket.
func (g *gate) admit(
	w http.ResponseWriter, r *http.Request, origins *policy.Origins,
) bool {
	if !websocket.IsWebSocketUpgrade(r) {
		return true
	}
	if !origins.Allow(r) {
		refuse(w, r, http.StatusForbidden, errors.New("request origin not allowed"))
		return false
	}
	ctx, cancel := context.WithTimeout(r.Context(), storeWait)
	defer cancel()
	_, err := g.redeem(ctx, r.URL.Query().Get("ticket"))
	switch {
	case err == nil:
		return true
	case refused(err):
		unauthorized(w, r, err.Error())
	default:
		unavailable(w, r, err)
	}
	return false
}

// ANCHOR_END: admit

// refused reports whether err is a ticket that does not open a socket,
// rather than the buckets failing to answer.
func refused(err error) bool {
	for _, e := range []error{errNoTicket, errNotATicket, errUnknownTicket, errUsedTicket, errExpiredTicket} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// unauthorized answers 401 and logs it. RFC 9110 §15.5.2: a 401 carries
// a WWW-Authenticate challenge; the chat's is a scheme of its own, which
// no browser answers with a password dialog.
func unauthorized(w http.ResponseWriter, r *http.Request, reason string) {
	serve.LogRefused(r, http.StatusUnauthorized, reason)
	w.Header().Set("WWW-Authenticate", `Ticket realm="chat"`)
	http.Error(w, "401 unauthorized: "+reason, http.StatusUnauthorized)
}

// unavailable answers 503 when the buckets cannot be asked or are full:
// the request may be fine, the chat cannot tell now.
func unavailable(w http.ResponseWriter, r *http.Request, err error) {
	serve.LogRefused(r, http.StatusServiceUnavailable, err.Error())
	w.Header().Set("Retry-After", "1")
	http.Error(w, "503 service unavailable: the session store did not answer; try again", http.StatusServiceUnavailable)
}
