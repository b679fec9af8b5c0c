package tap

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/websocket-in-go/workbook/handshake"
)

// ANCHOR: handler

// Handler wraps the server's handler so that each request can tell its
// connection what it is. A plain HTTP request makes the connection forget
// the bytes it kept. A WebSocket upgrade ends the connection's HTTP life:
// if its URL carries ?inspect=TOKEN with a live token that no connection
// has yet, the connection is watched from here on, starting with the
// request's own head; otherwise it is never watched.
//
// An upgrade that is not watched is handed the connection under the tap:
// from its Hijack on, the tap is out of the way altogether.
func (t *Tap) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := t.connOf(r); c != nil {
			c.begin(r)
			if isUpgrade(r) && c.state.Load() == statePass {
				w = &handOff{ResponseWriter: w, c: c}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ANCHOR_END: handler

// connOf returns the tapped connection that r came on, or nil.
func (t *Tap) connOf(r *http.Request) *Conn {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return nil
	}
	return t.lookup(local.String(), r.RemoteAddr)
}

// ANCHOR: hand-off

// handOff is the ResponseWriter of an upgrade that is not watched. Its
// Hijack gives the WebSocket library the connection under the tap, and
// forgets the tapped one: an unwatched WebSocket then costs the tap no
// byte of memory and no instruction per read or write, and keeps what
// only a *net.TCPConn has (gorilla writes a frame's header and payload
// with one writev, through net.Buffers).
type handOff struct {
	http.ResponseWriter
	c *Conn
}

// Hijack takes the connection over, as http.Hijacker asks.
func (h *handOff) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil || nc != net.Conn(h.c) {
		return nc, brw, err
	}
	h.c.forget()
	return h.c.Conn, brw, nil
}

// Unwrap lets http.ResponseController reach the ResponseWriter beneath.
func (h *handOff) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// ANCHOR_END: hand-off

// begin decides, at the start of a request, whether c is watched.
func (c *Conn) begin(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state.Load() != stateHTTP {
		return
	}
	kept := c.kept
	if !isUpgrade(r) {
		// Its head is kept no longer; nor is a buffer a body made big.
		c.kept = kept[:0]
		if cap(kept) > smallKept {
			c.kept = nil
		}
		return
	}
	c.kept = nil
	token := r.URL.Query().Get("inspect")
	s := c.t.bind(token, c)
	if s == nil {
		c.state.Store(statePass)
		return
	}
	c.sess, c.wsKey = s, r.Header.Get("Sec-WebSocket-Key")
	head, rest, ok := requestHead(kept, r)
	if !ok {
		// Not one head in what we kept (a client that sent 32 KiB ahead
		// of it): say so, and watch no further.
		c.endWatch(&Handshake{Request: "(the request's head was not captured)", Key: c.wsKey})
		return
	}
	c.req = head
	c.in = stream{dir: In, emit: c.report}
	c.out = stream{dir: Out, emit: c.report}
	c.state.Store(stateWatch)
	// A client may send frames right behind its handshake: they are shown
	// after the handshake, once the response is out.
	c.early = append([]byte(nil), rest...)
}

// smallKept is the buffer a keep-alive connection may keep between
// requests: a typical request head.
const smallKept = 4 << 10

// unwatch stops watching c and ends its session, if it has one: an
// inspector's own connection is never watched (it would report its own
// reports, for ever).
func (c *Conn) unwatch() {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s != nil {
		c.t.finish(s)
	}
}

// report sends a frame's record to the session. c.mu is held.
func (c *Conn) report(f *Frame) {
	if c.sess != nil {
		c.sess.push(Record{Kind: KindFrame, Frame: f})
	}
}

// isUpgrade reports whether r asks for a WebSocket (RFC 6455 §4.1: an
// Upgrade header with the token websocket).
func isUpgrade(r *http.Request) bool {
	for _, v := range r.Header.Values("Upgrade") {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "websocket") {
				return true
			}
		}
	}
	return false
}

// headEnd ends the head of an HTTP message: an empty line.
var headEnd = []byte("\r\n\r\n")

// requestHead finds r's head in the bytes kept: from its request line, as
// net/http parsed it, to the empty line. What follows it came after the
// head: frames, if the client did not wait for the 101.
func requestHead(kept []byte, r *http.Request) (head, rest []byte, ok bool) {
	line := []byte(r.Method + " " + r.RequestURI + " " + r.Proto + "\r\n")
	i := bytes.LastIndex(kept, line)
	if i < 0 {
		return nil, nil, false
	}
	end := bytes.Index(kept[i:], headEnd)
	if end < 0 {
		return nil, nil, false
	}
	end += i + len(headEnd)
	return bytes.Clone(kept[i:end]), kept[end:], true
}

// sawResponse collects the response's head as it is written. Once it is
// whole, the handshake's record goes out, and after a 101 the rest is
// frames; any other status ends the watch. c.mu is held.
func (c *Conn) sawResponse(b []byte) {
	c.resp = append(c.resp, b...)
	end := bytes.Index(c.resp, headEnd)
	if end < 0 {
		if len(c.resp) > maxKept {
			c.endWatch(&Handshake{Request: redact(c.req), Response: "(a response head over 32 KiB)", Key: c.wsKey})
		}
		return
	}
	end += len(headEnd)
	head, rest := c.resp[:end], c.resp[end:]
	hs := &Handshake{Request: redact(c.req), Response: redact(head), Key: c.wsKey, Expected: handshake.AcceptKey(c.wsKey)}
	if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil); err == nil {
		hs.Status = resp.StatusCode
		hs.Accept = resp.Header.Get("Sec-WebSocket-Accept")
		c.in.z, c.out.z = inflaters(resp.Header)
	}
	if hs.Status != http.StatusSwitchingProtocols {
		c.endWatch(hs) // refused: no frames follow
		return
	}
	c.sess.push(Record{Kind: KindHandshake, Handshake: hs})
	c.in.feed(c.early)
	c.framed, c.req, c.resp, c.early = true, nil, nil, nil
	c.out.feed(rest)
}

// endWatch reports the handshake, ends the session and stops watching.
// c.mu is held.
func (c *Conn) endWatch(hs *Handshake) {
	c.sess.push(Record{Kind: KindHandshake, Handshake: hs})
	c.sess.end()
	c.state.Store(statePass)
	c.sess, c.req, c.resp, c.early = nil, nil, nil, nil
}

// secretHeaders are the headers whose values the page must not read: a
// script may not see an HttpOnly cookie, so the inspector does not show it
// either (the "cross-site tracing" that got HTTP TRACE switched off).
var secretHeaders = []string{"cookie", "set-cookie", "authorization", "proxy-authorization"}

// redact returns an HTTP head as text, the values of secretHeaders
// replaced by "(hidden: N bytes)".
func redact(head []byte) string {
	lines := strings.SplitAfter(string(head), "\r\n")
	for i, line := range lines {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		for _, secret := range secretHeaders {
			if strings.EqualFold(strings.TrimSpace(name), secret) {
				n := len(strings.TrimSpace(value))
				lines[i] = name + ": (hidden: " + strconv.Itoa(n) + " bytes)\r\n"
			}
		}
	}
	return strings.Join(lines, "")
}
