package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/serve"
)

// ANCHOR: constants

const (
	// sendQueue is how many messages may wait for one client's writer. A
	// client that falls this far behind is evicted (see offer).
	sendQueue = 256

	// pongWait is how long a client may stay silent; we ping every
	// pingPeriod, and every frame moves the read deadline.
	pongWait   = 60 * time.Second
	pingPeriod = 30 * time.Second

	// writeWait bounds every write to a client.
	writeWait = 10 * time.Second

	// closeSlow is the close code of an evicted client: 1008, policy
	// violation (RFC 6455 §7.4.1), "a generic status code ... when there
	// is no other more suitable status code". Not 1013 (try again later):
	// that says the server is overloaded, and here the server is fine and
	// one client is behind.
	closeSlow = websocket.ClosePolicyViolation
)

// ANCHOR_END: constants

// outgoing is one item of a client's queue: a frame to send, or the
// history to replay from the stream.
type outgoing struct {
	pm     *websocket.PreparedMessage
	replay *span
}

// span is the ids (since, until] of a room's history.
type span struct {
	room         string
	since, until uint64
}

// client is one WebSocket. Its handler's goroutine reads; its writer
// goroutine alone writes data frames.
type client struct {
	conn  *websocket.Conn
	queue chan outgoing
	name  string // once joined
	room  *room  // once joined

	hangOnce sync.Once
	hungUp   chan struct{} // closed by hangUp
	reads    sync.Mutex    // guards the read deadline against hangUp
	closing  bool
}

func newClient(conn *websocket.Conn) *client {
	return &client{conn: conn, queue: make(chan outgoing, sendQueue), hungUp: make(chan struct{})}
}

// ANCHOR: offer

// offer queues o for the writer, without waiting. If the queue is full
// the client is not keeping up: it is evicted with close 1008 and the
// message is dropped for it (it can resume with since: nothing is lost
// but the connection). Waiting instead would make the room wait for
// its slowest member.
func (c *client) offer(o outgoing) {
	select {
	case c.queue <- o:
	default:
		c.hangUp(closeSlow,
			fmt.Sprintf("too slow: %d messages behind; reconnect with since", sendQueue))
	}
}

// ANCHOR_END: offer

// ANCHOR: hangup

// hangUp ends the connection from our side, once, from any goroutine:
// a close frame with code and reason, within serve.GoodbyeWait. If the
// writer is stuck in a write to a peer that stopped reading, the close
// frame cannot be sent in time, and closing the socket ends that write.
// Once the close frame is out, the peer has policy.CloseGrace to answer.
func (c *client) hangUp(code int, reason string) {
	c.hangOnce.Do(func() {
		close(c.hungUp)
		if code != websocket.CloseGoingAway {
			serve.LogFailed(c.conn.RemoteAddr().String(), code, reason)
		}
		c.reads.Lock()
		c.closing = true
		_ = c.conn.SetReadDeadline(time.Now().Add(policy.CloseGrace))
		c.reads.Unlock()
		go func() {
			msg := websocket.FormatCloseMessage(code, reason)
			deadline := time.Now().Add(serve.GoodbyeWait)
			err := c.conn.WriteControl(websocket.CloseMessage, msg, deadline)
			if err != nil {
				c.conn.Close()
			}
		}()
	})
}

// ANCHOR_END: hangup

// extendRead moves the read deadline pongWait ahead, unless we hung up.
func (c *client) extendRead() {
	c.reads.Lock()
	defer c.reads.Unlock()
	if !c.closing {
		_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	}
}

// reply queues an error reply.
func (c *client) reply(format string, args ...any) {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage,
		mustJSON(errorReply{Type: "error", Text: fmt.Sprintf(format, args...)}))
	if err == nil {
		c.offer(outgoing{pm: pm})
	}
}

// chatHandler upgrades GET /ws and runs the chat protocol on it.
type chatHandler struct {
	origins *policy.Origins
	gate    *gate // the ticket every handshake must bring
	tracker interface {
		Track(goingAway func()) (done func())
	}
	rooms *rooms
	ids   atomic.Uint64 // numbers this process's publishes (Nats-Msg-Id)
}

// ANCHOR: serve

// ServeHTTP upgrades the request, starts the writer, and reads until the
// client goes.
func (h *chatHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.gate.admit(w, r, h.origins) {
		return // admit has answered (403, 401 or 503) and logged it
	}
	up := websocket.Upgrader{CheckOrigin: h.origins.Allow, Error: refuse}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // refuse has answered and logged it
	}
	defer conn.Close()
	c := newClient(conn)
	done := h.tracker.Track(func() { c.hangUp(websocket.CloseGoingAway, "server shutting down") })
	defer done()
	conn.SetReadLimit(maxMessage)
	c.extendRead()
	conn.SetPongHandler(func(string) error { c.extendRead(); return nil })

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	wrote := make(chan struct{})
	go func() { defer close(wrote); c.write(ctx, h.rooms.bus) }()
	h.read(ctx, c)
	if c.room != nil {
		h.rooms.leave(c, c.room)
	}
	cancel()
	<-wrote
}

// ANCHOR_END: serve

// ANCHOR: read

// read handles the client's messages until the connection ends. A bad
// message gets an error reply and the connection stays open; what breaks
// the WebSocket protocol itself ends it: a message over 1 MiB (1009), a
// binary message (1003), text that is not UTF-8 (1007).
func (h *chatHandler) read(ctx context.Context, c *client) {
	remote := c.conn.RemoteAddr().String()
	for {
		kind, data, err := c.conn.ReadMessage()
		if errors.Is(err, websocket.ErrReadLimit) {
			// gorilla has sent close 1009; let the peer read it.
			serve.LogFailed(remote, websocket.CloseMessageTooBig, "message over 1 MiB")
			policy.Drain(c.conn.UnderlyingConn())
			return
		}
		if err != nil {
			return // the peer closed, vanished, or we hung up
		}
		c.extendRead()
		select {
		case <-c.hungUp:
			continue // we said goodbye: read on until the peer's close, ignoring the rest
		default:
		}
		switch {
		case kind != websocket.TextMessage:
			c.hangUp(websocket.CloseUnsupportedData,
				"binary messages are not part of the chat protocol: send JSON text")
			continue // read on until the peer's close
		case !utf8.Valid(data):
			c.hangUp(websocket.CloseInvalidFramePayloadData,
				"text message is not valid UTF-8")
			continue
		}
		req, err := parse(data)
		if err != nil {
			c.reply("%v", err)
			continue
		}
		switch req.Type {
		case "join":
			if c.room != nil {
				c.reply("already in room %q: "+
					"open another connection to join another room", c.room.name)
				continue
			}
			c.name = req.Name
			room, err := h.rooms.join(ctx, c, req.Room, req.Since)
			if err != nil {
				c.reply("could not join %q: %v", req.Room, err)
				continue
			}
			c.room = room
		case "say":
			if c.room == nil {
				c.reply(`say before join: send ` +
					`{"type":"join","room":ROOM,"name":NAME} first`)
				continue
			}
			id := h.rooms.node + "-" + strconv.FormatUint(h.ids.Add(1), 10)
			seq, err := h.rooms.bus.publish(ctx, c.room.name, id, c.room.lastID(),
				stored{From: c.name, Text: req.Text, Time: now()})
			if err != nil && ctx.Err() == nil {
				c.reply("not sent, try again: %v", err)
			} else if err == nil {
				c.room.stored(seq)
			}
		}
	}
}

// ANCHOR_END: read

// ANCHOR: write

// write is the client's only writer of data frames: the queue in order,
// a ping every pingPeriod. A history replay in the queue is read from the
// stream and sent right there, before the live messages queued behind it.
func (c *client) write(ctx context.Context, b *bus) {
	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	for {
		select {
		case o := <-c.queue:
			var err error
			if o.replay != nil {
				r := o.replay
				rerr := b.replay(ctx, r.room, r.since, r.until, func(v any) {
					if err == nil {
						_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
						err = c.conn.WriteMessage(websocket.TextMessage, mustJSON(v))
					}
				})
				if rerr != nil && err == nil && ctx.Err() == nil {
					c.hangUp(websocket.CloseInternalServerErr,
						"could not read the room's history; reconnect with since")
					return
				}
			} else {
				_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
				err = c.conn.WritePreparedMessage(o.pm)
			}
			if err != nil {
				select {
				case <-c.hungUp:
					return // hangUp closed the socket under us
				default:
				}
				if ctx.Err() == nil && !errors.Is(err, websocket.ErrCloseSent) {
					slog.Warn("write failed",
						"remote", c.conn.RemoteAddr().String(), "err", err)
					c.conn.Close() // the reader ends too
				}
				return
			}
		case <-ping.C:
			deadline := time.Now().Add(writeWait)
			err := c.conn.WriteControl(websocket.PingMessage, nil, deadline)
			if err != nil {
				return
			}
		case <-c.hungUp:
			return
		case <-ctx.Done():
			return
		}
	}
}

// ANCHOR_END: write

// refuse answers a handshake gorilla turned down, and logs it.
func refuse(w http.ResponseWriter, r *http.Request, status int, reason error) {
	serve.LogRefused(r, status, reason.Error())
	if status == http.StatusForbidden {
		policy.Forbid(w, r)
		return
	}
	http.Error(w, http.StatusText(status)+": "+reason.Error(), status)
}
