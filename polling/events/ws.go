package events

import (
	"cmp"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// ANCHOR: keepalive
const (
	// DefaultPingPeriod is how often a WebSocket is pinged, so that a dead
	// peer is noticed and NATs keep the connection open.
	DefaultPingPeriod = 30 * time.Second
	// DefaultPongWait is how long a WebSocket may be silent, not even
	// answering a ping, before it is dropped as vanished: two pings' worth,
	// as in gorilla's chat example, whose read deadline each pong extends.
	// TCP alone would keep a vanished peer for about 16 minutes: as long as
	// our pings and events wait unacknowledged in the send queue, the kernel
	// retransmits them (tcp_retries2) and sends no keepalive probes.
	DefaultPongWait = 60 * time.Second
	// maxClientMessage is the most a client may send us; it has nothing to
	// say but control frames, so a small limit (answered with 1009) will do.
	maxClientMessage = 4 << 10
)

// ANCHOR_END: keepalive

// ANCHOR: slow_close
// CloseTooSlow is the close code for a client that cannot keep up:
// 1008, policy violation (RFC 6455 §7.4.1), because the client broke the
// server's policy of a bounded queue. 1013 (Try Again Later, IANA registry)
// would blame the server's load; here the server is fine and the fault lies
// with one reader.
const CloseTooSlow = websocket.ClosePolicyViolation

// ANCHOR_END: slow_close

// LostMessage is the WebSocket's X-Events-Lost: before the first event
// after a gap, the server sends one text message {"lost":{"from":6,"to":81}}
// naming the ids that the client's cursor asked for but the ring no longer
// holds. Every other message is an Event.
type LostMessage struct {
	// Lost is the ids that are gone, both ends included.
	Lost Lost `json:"lost"`
}

// ready is a closed channel: a select case on it can always go.
var ready = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// ANCHOR: ws
// webSocket upgrades GET /ws?since=N and pushes every event after N (after
// the newest event if since is absent) as one JSON text message. One
// goroutine writes; another reads, only to answer pings, notice a close and
// hold the pong deadline.
//
// The backlog, the events after N that the ring holds, is read from the
// ring a bounded page at a time while the queue collects what is published
// meanwhile, so a client at since=0 costs one page of memory, not the ring.
func (h *Handlers) webSocket(w http.ResponseWriter, r *http.Request) {
	since := h.Log.Last()
	if r.URL.Query().Has("since") {
		var ok bool
		if since, ok = h.since(w, r); !ok {
			return
		}
	}
	up := websocket.Upgrader{CheckOrigin: h.originsAllow, Error: refuseHandshake,
		HandshakeTimeout: h.writeWait()}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // refuseHandshake has answered with 400 or 403, and logged it
	}
	defer conn.Close()
	remote := r.RemoteAddr
	if h.Track != nil {
		done := h.Track(func() {
			closeWith(conn, websocket.CloseGoingAway,
				"server shutting down", serve.GoodbyeWait)
		})
		defer done()
	}
	pongWait := cmp.Or(h.PongWait, DefaultPongWait)
	peerGone := make(chan error, 1)
	go readUntilClosed(conn, pongWait, peerGone)
	sub, upto := h.Log.Subscribe(cmp.Or(h.QueueSize, DefaultQueueSize))
	defer h.Log.Unsubscribe(sub)

	ping := time.NewTicker(cmp.Or(h.PingPeriod, DefaultPingPeriod))
	defer ping.Stop()
	cursor := since
	for {
		// While behind, the ring is read and the queue waits; then the queue.
		catchUp, queue := (<-chan struct{})(ready), (<-chan Event)(nil)
		if cursor >= upto {
			catchUp, queue = nil, sub.Events
		}
		var err error
		select {
		case <-catchUp:
			cursor, err = sendPage(conn, h.Log.Read(cursor, MaxAnswerEvents,
				MaxAnswerBytes), upto, h.writeWait())
		case e := <-queue:
			err = send(conn, e, h.writeWait())
		case <-sub.Dropped:
			reason := "too slow: " + strconv.Itoa(cap(sub.Events)) + " events queued"
			serve.LogFailed(remote, CloseTooSlow, reason)
			closeWith(conn, CloseTooSlow, reason, h.writeWait())
			waitOrGiveUp(peerGone)
			return
		case <-ping.C:
			err = conn.WriteControl(websocket.PingMessage, nil,
				time.Now().Add(h.writeWait()))
		case rerr := <-peerGone:
			logReadFailure(remote, rerr, pongWait)
			return
		}
		switch {
		// our goodbye is out: let the peer answer
		case errors.Is(err, websocket.ErrCloseSent):
			logReadFailure(remote, waitOrGiveUp(peerGone), pongWait)
			return
		case err != nil:
			select {
			case rerr := <-peerGone: // the reader knows better why
				logReadFailure(remote, rerr, pongWait)
			default:
				serve.LogFailed(remote, websocket.CloseAbnormalClosure,
					"write: "+err.Error())
			}
			return
		}
	}
}

// ANCHOR_END: ws

// sendPage sends one page of the backlog: a LostMessage first if the ring
// has moved on past the cursor, then its events up to upto (the later ones
// come from the queue). It returns the new cursor.
func sendPage(conn *websocket.Conn, p Page, upto int64, wait time.Duration) (int64, error) {
	cursor := upto // if the ring has moved past upto, all of the backlog is lost
	if len(p.Events) > 0 {
		cursor = p.Events[0].ID - 1
	}
	if p.Lost != (Lost{}) {
		p.Lost.To = min(p.Lost.To, upto)
		if err := send(conn, LostMessage{p.Lost}, wait); err != nil {
			return cursor, err
		}
	}
	for _, e := range p.Events {
		if e.ID > upto {
			return upto, nil
		}
		if err := send(conn, e, wait); err != nil {
			return cursor, err
		}
		cursor = e.ID
	}
	return cursor, nil
}

// refuseHandshake is the Upgrader's Error: it answers as gorilla would
// (the status, and the version we speak) and logs the refusal.
func refuseHandshake(w http.ResponseWriter, r *http.Request, status int, reason error) {
	w.Header().Set("Sec-WebSocket-Version", "13")
	Refuse(w, r, status, strconv.Itoa(status)+" "+reason.Error())
}

func (h *Handlers) originsAllow(r *http.Request) bool {
	if h.Origins == nil {
		var same policy.Origins
		return same.Allow(r)
	}
	return h.Origins.Allow(r)
}

// send writes v as one JSON text message, within wait. HTML escaping
// is off, as in writeEvents: "<" is one byte on the wire, not six.
func send(conn *websocket.Conn, v any, wait time.Duration) error {
	_ = conn.SetWriteDeadline(time.Now().Add(wait))
	w, err := conn.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return w.Close()
}

// ANCHOR: pong_deadline
// readUntilClosed reads (and so answers pings and close frames, which
// gorilla does inside ReadMessage) until the connection fails or closes,
// then sends why on gone. A peer must show it is alive within pongWait:
// the read deadline starts there and every pong moves it on, so a peer that
// has vanished, or answers no ping, is dropped pongWait after its last word.
func readUntilClosed(conn *websocket.Conn, pongWait time.Duration, gone chan<- error) {
	conn.SetReadLimit(maxClientMessage)
	_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			gone <- err
			return
		}
	}
}

// ANCHOR_END: pong_deadline

// readFailure tells whether the reader's error ended the connection by a
// failure and, if so, the close code sent (or that the peer would see) and
// why. A close frame with 1000, 1001 or no code is an orderly goodbye.
func readFailure(err error, pongWait time.Duration) (code int, reason string, failed bool) {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case errors.As(err, &ce):
		switch ce.Code {
		case websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived:
			return 0, "", false
		case websocket.CloseAbnormalClosure: // gorilla's name for EOF without a close frame
			return ce.Code, "connection lost: " + ce.Text, true
		}
		return ce.Code, "the peer closed: " + ce.Text, true
	case errors.Is(err, websocket.ErrReadLimit):
		return websocket.CloseMessageTooBig, "a message over " + strconv.Itoa(maxClientMessage) + " bytes", true // gorilla sent 1009
	case errors.As(err, &ne) && ne.Timeout():
		return websocket.CloseAbnormalClosure, "no pong within " + pongWait.String(), true
	case strings.HasPrefix(err.Error(), "websocket: "):
		return websocket.CloseProtocolError, err.Error(), true // gorilla sent 1002
	}
	return websocket.CloseAbnormalClosure, "connection lost: " + err.Error(), true
}

// waitOrGiveUp waits for the peer to answer our close frame, at most
// policy.CloseGrace (RFC 6455 §7.1.1: the server closes TCP after the
// closing handshake). It returns the reader's error, nil if it gave up.
func waitOrGiveUp(peerGone <-chan error) error {
	t := time.NewTimer(policy.CloseGrace)
	defer t.Stop()
	select {
	case err := <-peerGone:
		return err
	case <-t.C:
		return nil
	}
}

// logReadFailure logs the reader's error if it ended the connection by a
// failure (see readFailure); nil, or an orderly close, is not logged.
func logReadFailure(remote string, err error, pongWait time.Duration) {
	if err == nil {
		return
	}
	if code, reason, failed := readFailure(err, pongWait); failed {
		serve.LogFailed(remote, code, reason)
	}
}

// closeWith starts the closing handshake (RFC 6455 §5.5.1) with a code and
// a reason, giving up after wait. It is safe to call while another
// goroutine writes. The goodbye at shutdown waits serve.GoodbyeWait, so
// that a client that has stopped reading cannot hold the shutdown up.
func closeWith(conn *websocket.Conn, code int, reason string, wait time.Duration) {
	msg := websocket.FormatCloseMessage(code, reason)
	_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(wait))
}
