package main

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// ANCHOR: constants
const (
	// maxMessageSize is the largest message we read unless -max-message
	// says otherwise: 1 MiB. A bigger one is
	// refused with close code 1009 (message too big) before it is buffered.
	maxMessageSize = 1 << 20

	// pongWait is how long a peer may stay silent. Every pong (or any other
	// frame) moves the read deadline this far into the future.
	pongWait = 60 * time.Second

	// pingPeriod is how often we ping. It must be shorter than pongWait so
	// that a live peer always has time to answer.
	pingPeriod = 30 * time.Second

	// writeWait bounds every write, our pongs included: a peer that stops
	// reading cannot hold the handler forever.
	writeWait = 10 * time.Second
)

// ANCHOR_END: constants

// ANCHOR: upgrader

// tracker is what the echo needs of a serve.Server: a goodbye at shutdown.
type tracker interface {
	Track(goingAway func()) (done func())
}

// echoHandler upgrades GET /ws (or /echo) and echoes every message.
type echoHandler struct {
	origins *policy.Origins
	tracker tracker
	// prefix goes in front of every text message echoed: "Received: " on
	// /ws, as in the original chapter; nothing on /echo, the exact echo
	// that test suites such as Autobahn expect.
	prefix []byte
	// maxMessage is the largest message read (maxMessageSize if zero).
	maxMessage int64
	// pingPeriod, pongWait and writeWait override the constants when set
	// (tests use milliseconds, so that a dropped peer does not take a minute).
	pingPeriod, pongWait, writeWait time.Duration
}

func (h *echoHandler) upgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		// gorilla's default CheckOrigin already refuses cross-site pages;
		// we say so explicitly, and let -allow-origin add to the list.
		CheckOrigin: h.origins.Allow,
		Error:       refuse,
		// permessage-deflate (RFC 7692), as far as gorilla goes: it always
		// answers with no context takeover either way.
		EnableCompression: true,
	}
}

// ANCHOR_END: upgrader

// ANCHOR: serve

// ServeHTTP upgrades the request and runs the echo loop. Connections support
// one concurrent reader and one concurrent writer: this goroutine does both
// reading and data writes, and the keepalive goroutine writes only control
// frames, which gorilla allows at any time (WriteControl).
func (h *echoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := h.upgrader().Upgrade(w, r, nil)
	if err != nil {
		return // refuse has answered (400, 403, ...) and logged it.
	}
	defer conn.Close()
	pingEvery, silence, wait := cmp.Or(h.pingPeriod, pingPeriod), cmp.Or(h.pongWait,
		pongWait), cmp.Or(h.writeWait, writeWait)
	reads := &readDeadline{conn: conn, wait: silence}
	done := h.tracker.Track(func() { goingAway(conn, reads) })
	defer done()

	limit := cmp.Or(h.maxMessage, maxMessageSize)
	conn.SetReadLimit(limit)
	reads.extend()
	conn.SetPongHandler(func(string) error { reads.extend(); return nil })
	conn.SetPingHandler(func(data string) error { return pong(conn, data, wait) })
	stop := make(chan struct{})
	defer close(stop)
	go keepalive(conn, pingEvery, wait, stop)

	for {
		kind, msg, err := conn.ReadMessage()
		if errors.Is(err, websocket.ErrReadLimit) {
			// gorilla has sent close 1009; let the peer read it.
			serve.LogFailed(conn.RemoteAddr().String(), websocket.CloseMessageTooBig,
				"message over "+size(limit))
			policy.Drain(conn.UnderlyingConn())
			return
		}
		if err != nil {
			ended(conn, err, reads)
			return // the peer closed, or went silent past pongWait
		}
		reads.extend()
		if kind == websocket.TextMessage {
			// RFC 6455 §8.1: a text message must be UTF-8. gorilla leaves
			// the check to us; the answer is close code 1007.
			if !utf8.Valid(msg) {
				serve.LogFailed(conn.RemoteAddr().String(),
					websocket.CloseInvalidFramePayloadData, "text message is not valid "+
						"UTF-8")
				closeWith(conn, websocket.CloseInvalidFramePayloadData,
					"text message is not valid UTF-8")
				policy.Drain(conn.UnderlyingConn())
				return
			}
			if h.prefix != nil {
				msg = append(append([]byte(nil), h.prefix...), msg...)
			}
		}
		conn.SetWriteDeadline(time.Now().Add(wait))
		err = conn.WriteMessage(kind, msg)
		if errors.Is(err, websocket.ErrCloseSent) {
			continue // we said goodbye: read on until the peer's close
		}
		if err != nil {
			serve.LogFailed(conn.RemoteAddr().String(), closeAbnormal,
				"write failed (has the peer stopped reading?): "+err.Error())
			return
		}
	}
}

// ANCHOR_END: serve

// ANCHOR: keepalive

// keepalive pings the peer every period until stop is closed. A peer that
// does not answer within pongWait hits the read deadline and is dropped. A
// ping that cannot be written within writeWait means the peer stopped
// reading: we hang up, as gorilla's chat example does.
func keepalive(conn *websocket.Conn, period, writeWait time.Duration,
	stop <-chan struct{}) {
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			err := conn.WriteControl(websocket.PingMessage, nil,
				time.Now().Add(writeWait))
			if errors.Is(err, websocket.ErrCloseSent) {
				return
			}
			if err != nil {
				conn.Close()
				return
			}
		case <-stop:
			return
		}
	}
}

// closeWith starts the closing handshake (RFC 6455 §5.5.1) with a code and a
// reason. The reader then sees the peer's close frame and the loop ends.
func closeWith(conn *websocket.Conn, code int, reason string) {
	msg := websocket.FormatCloseMessage(code, reason)
	_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait))
}

// ANCHOR_END: keepalive

// size writes a byte count for the log: "1 MiB" when it is a whole number
// of MiB, else bytes.
func size(n int64) string {
	if n > 0 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
