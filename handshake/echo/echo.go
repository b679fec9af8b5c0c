package main

import (
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/websocket-in-go/workbook/handshake"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// prefix goes in front of every text message we echo, as in the original.
var prefix = []byte("Received: ")

// writeWait bounds every echo: a peer that stops reading costs its own
// connection, never the server.
const writeWait = 10 * time.Second

// minReadRate is the slowest a peer may read a big echo, on top of
// writeWait: 256 KiB/s, so a 16 MiB echo may take 74 s. Autobahn's client,
// in Python, needs about 16 s for case 9.1.6 (a 16 MiB text message and
// its echo), which a flat 10 s cut off.
const minReadRate = 256 << 10

// echoTimeout is how long the echo of a message of n bytes may wait for
// the peer to read it. A timeout, not a deadline: the Conn reads the clock
// only for an echo that has to wait, and nearly none does.
func echoTimeout(n int) time.Duration {
	return writeWait + time.Duration(n)*time.Second/minReadRate
}

// compression is the echo's permessage-deflate: offered by nearly every
// client (browsers included), with context takeover both ways, the whole
// of RFC 7692. Its cost per connection is measured in the chapter
// "Compression".
var compression = &handshake.Compression{ContextTakeover: true}

// echoHandler upgrades by hand and echoes every message: with the prefix
// "Received: " in front of text (/ws, as the original), or exactly (/echo,
// for Autobahn and other harnesses).
type echoHandler struct {
	origins *policy.Origins
	tracker *serve.Server
	exact   bool // echo text unchanged, without the prefix
	maxSize int  // the largest message read; 0 for handshake.DefaultMaxMessageSize
}

// ANCHOR: serve

// ServeHTTP runs the handshake, then hands the connection to a goroutine
// of its own and returns. Why return? net/http's goroutine keeps its 4 KiB
// read buffer and the response's 2 KiB write buffer until ServeHTTP
// returns; an idle connection needs neither. BenchmarkIdleMemory measures
// both ways: byhand returns, byhand-in-ServeHTTP does not
// (go test -run '^$' -bench 'IdleMemory$' ./handshake).
func (h *echoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := handshake.Upgrade(w, r, &handshake.Options{
		AllowOrigin:    h.origins.Allow,
		MaxMessageSize: h.maxSize,
		Compression:    compression,
	})
	if herr, ok := errors.AsType[*handshake.HandshakeError](err); ok {
		serve.LogRefused(r, herr.Status, herr.Reason)
	}
	if err != nil {
		return // Upgrade has answered: 400, 403, 405 or 426
	}
	// The goodbye at shutdown: CloseWith waits for the writer and for the
	// peer's answer, each for a bounded time, so it may run in parallel
	// with every other connection's.
	done := h.tracker.Track(func() {
		conn.CloseWith(handshake.CloseGoingAway,
			"server shutting down")
	})
	// ANCHOR: h2-inline
	if r.ProtoMajor == 2 {
		// Over HTTP/2 (RFC 8441) the WebSocket is this request's stream,
		// and the stream ends when ServeHTTP returns: echo here.
		serveConn(conn, r.RemoteAddr, done, h.exact)
		return
	}
	// ANCHOR_END: h2-inline
	// not r: the request would stay in memory
	go serveConn(conn, r.RemoteAddr, done, h.exact)
}

// serveConn runs the echo on a connection of its own, then lets it go.
func serveConn(conn *handshake.Conn, remote string, done func(), exact bool) {
	err := echo(conn, exact)
	conn.Close()
	done()
	logEnd(remote, err)
}

// echo answers every message until the connection ends, and returns why it
// ended. Every rule of the protocol (fragments, pings, close codes, UTF-8,
// the 1 MiB limit, the keepalive, inflating) is enforced inside
// ReadMessage; this loop only sees whole messages.
func echo(conn *handshake.Conn, exact bool) error {
	for {
		op, msg, err := conn.ReadMessage()
		if err != nil {
			return err // closed by the peer, failed with a close code, or gone
		}
		conn.SetWriteTimeout(echoTimeout(len(msg)))
		if op == handshake.OpText && !exact {
			err = conn.WriteMessage(op, prefix, msg)
		} else {
			err = conn.WriteMessage(op, msg)
		}
		if err != nil {
			return err
		}
	}
}

// ANCHOR_END: serve

// logEnd logs a connection that ended by a failure: one we failed (the
// close code we sent), or one that broke (1006: no close frame). A close
// from the peer is the normal end and is not logged.
func logEnd(remote string, err error) {
	ce, ok := errors.AsType[*handshake.CloseError](err)
	switch {
	case ok && ce.Sent:
		serve.LogFailed(remote, ce.Code, ce.Reason)
	case !ok && !errors.Is(err, net.ErrClosed): // not closed by us
		serve.LogFailed(remote, handshake.CloseAbnormal, err.Error())
	}
}
