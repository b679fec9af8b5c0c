package events

import (
	"cmp"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/serve"
)

const (
	// DefaultPingPeriod is how often an idle WebSocket is pinged, so that a
	// dead peer is noticed and NATs keep the connection open.
	DefaultPingPeriod = 30 * time.Second
	// writeWait bounds every write: a peer that stops reading cannot hold
	// its handler for longer than this.
	writeWait = 10 * time.Second
	// maxClientMessage is the most a client may send us; it has nothing to
	// say but control frames, so a small limit (answered with 1009) will do.
	maxClientMessage = 4 << 10
)

// ANCHOR: slow_close
// CloseTooSlow is the close code for a client that cannot keep up:
// 1008, policy violation (RFC 6455 §7.4.1), because the client broke the
// server's policy of a bounded queue. 1013 (Try Again Later, IANA registry)
// would blame the server's load; here the server is fine and the fault lies
// with one reader.
const CloseTooSlow = websocket.ClosePolicyViolation

// ANCHOR_END: slow_close

// ANCHOR: ws
// webSocket upgrades GET /ws?since=N and pushes every event after N (after
// the newest event if since is absent) as one JSON text message. One
// goroutine writes; another reads, only to answer pings and notice a close.
func (h *Handlers) webSocket(w http.ResponseWriter, r *http.Request) {
	since := h.Log.Last()
	if r.URL.Query().Has("since") {
		var ok bool
		if since, ok = h.since(w, r); !ok {
			return
		}
	}
	up := websocket.Upgrader{CheckOrigin: h.originsAllow}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with 400 or 403
	}
	defer conn.Close()
	if h.Track != nil {
		done := h.Track(func() { closeWith(conn, websocket.CloseGoingAway, "server shutting down") })
		defer done()
	}
	sub, backlog := h.Log.Subscribe(since, cmp.Or(h.QueueSize, DefaultQueueSize))
	defer h.Log.Unsubscribe(sub)

	peerGone := make(chan struct{})
	go readUntilClosed(conn, peerGone)
	for _, e := range backlog {
		if !send(conn, e) {
			return
		}
	}
	ping := time.NewTicker(cmp.Or(h.PingPeriod, DefaultPingPeriod))
	defer ping.Stop()
	for {
		select {
		case e := <-sub.Events:
			if !send(conn, e) {
				return
			}
		case <-sub.Dropped:
			closeWith(conn, CloseTooSlow, "too slow: "+strconv.Itoa(cap(sub.Events))+" events queued")
			waitOrGiveUp(peerGone)
			return
		case <-ping.C:
			if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)) != nil {
				return
			}
		case <-peerGone:
			return
		}
	}
}

// ANCHOR_END: ws

func (h *Handlers) originsAllow(r *http.Request) bool {
	if h.Origins == nil {
		var same serve.Origins
		return same.Allow(r)
	}
	return h.Origins.Allow(r)
}

// send writes one event as a JSON text message, within writeWait.
func send(conn *websocket.Conn, e Event) bool {
	_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
	return conn.WriteJSON(e) == nil
}

// readUntilClosed reads (and so answers pings and close frames, which
// gorilla does inside ReadMessage) until the connection fails or closes,
// then closes gone.
func readUntilClosed(conn *websocket.Conn, gone chan<- struct{}) {
	defer close(gone)
	conn.SetReadLimit(maxClientMessage)
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

// waitOrGiveUp waits for the peer to answer our close frame, at most
// serve.CloseGrace (RFC 6455 §7.1.1: the server closes TCP after the
// closing handshake).
func waitOrGiveUp(peerGone <-chan struct{}) {
	t := time.NewTimer(serve.CloseGrace)
	defer t.Stop()
	select {
	case <-peerGone:
	case <-t.C:
	}
}

// closeWith starts the closing handshake (RFC 6455 §5.5.1) with a code and
// a reason. It is safe to call while another goroutine writes.
func closeWith(conn *websocket.Conn, code int, reason string) {
	msg := websocket.FormatCloseMessage(code, reason)
	_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait))
}
