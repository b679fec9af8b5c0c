package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// rooms is this process's share of the chat: the rooms that have members
// here, each fed by its own ordered consumer on the stream.
type rooms struct {
	bus  *bus
	node string // this process, in presence announcements

	mu     sync.Mutex
	byName map[string]*room
}

// room is one room's members on this process and its live feed.
type room struct {
	name  string
	rooms *rooms
	feed  jetstream.ConsumeContext
	sub   *nats.Subscription // presence, core NATS
	stop  chan struct{}      // ends the presence heartbeat

	mu      sync.Mutex
	members map[*client]struct{}
	// last is the id of the last message the feed delivered, or, before
	// the first, the room's last id in the stream when the feed started:
	// every later message of the room comes through the feed, every
	// earlier one from the stream (replay).
	last uint64
	// said is the id of the last message this process stored in the
	// room (its publish's ack): see lastID.
	said uint64
	// others is who is in the room on other processes, by process.
	others map[string]remote
	// shown is the presence last sent to the members.
	shown []string
	// timer sends the next presence (see announceLocked); asked is set
	// once the others were asked for theirs; closed once the room is.
	timer  *time.Timer
	asked  bool
	closed bool
}

// feedBatch is how many messages a room's feed asks NATS for at a time
// (nats.go's default is 500, more than a member's queue): half a queue.
const feedBatch = sendQueue / 2

func newRooms(b *bus, node string) *rooms {
	return &rooms{bus: b, node: node, byName: make(map[string]*room)}
}

// ANCHOR: join

// join adds c to the room called name, opening the room's feed if c is
// its first member on this process. It returns the id up to which c must
// be sent the history: the feed sends c every message after it. Adding
// c and reading last happen under the room's lock, the same lock the feed
// holds while it hands a message to the members, so no message falls
// between the two and none comes twice.
func (rs *rooms) join(ctx context.Context, c *client, name string,
	since *uint64) (*room, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.byName[name]
	if r == nil {
		var err error
		if r, err = rs.open(ctx, name); err != nil {
			return nil, err
		}
		rs.byName[name] = r
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members[c] = struct{}{}
	if since != nil && *since < r.last {
		// First in c's queue, before any live message: the writer sends
		// the history (*since, last] from the stream, then the rest.
		c.offer(outgoing{replay: &span{room: name, since: *since, until: r.last}})
	}
	r.announceLocked()
	return r, nil
}

// ANCHOR_END: join

// ANCHOR: open

// open starts a room's feed: an ordered consumer on the room's subject
// from the message after the room's last. An ordered consumer is
// JetStream's "read this subject in order": it is ephemeral, needs no
// acks, and if it misses a message (a NATS server died, the connection
// dropped) it recreates itself from the last sequence it delivered, so
// the feed repeats nothing. What it cannot see is a message the stream
// dropped (the room's history is full) before the feed read it: deliver
// finds those gaps.
func (rs *rooms) open(ctx context.Context, name string) (*room, error) {
	last, err := rs.bus.lastID(ctx, name)
	if err != nil {
		return nil, err
	}
	r := &room{
		name: name, rooms: rs, stop: make(chan struct{}),
		members: make(map[*client]struct{}), last: last,
		others: make(map[string]remote),
	}
	cons, err := rs.bus.js.OrderedConsumer(ctx, streamName,
		jetstream.OrderedConsumerConfig{
			FilterSubjects: []string{roomSubject(name)},
			DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
			OptStartSeq:    r.last + 1,
		})
	if err != nil {
		return nil, err
	}
	r.feed, err = cons.Consume(r.deliver,
		// A heartbeat every 2 s while the room is quiet: when they stop,
		// the consumer is recreated (on another NATS server if its own
		// died). The default heartbeat is half the pull's expiry, 15 s.
		jetstream.PullExpiry(10*time.Second), jetstream.PullHeartbeat(2*time.Second),
		// At most feedBatch messages in hand at once: a feed that was held
		// up (a slow NATS link) then hands its members no more in one go
		// than half of a member's queue holds.
		jetstream.PullMaxMessages(feedBatch),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			slog.Warn("room feed", "room", name, "err", err)
		}))
	if err != nil {
		return nil, err
	}
	if err := r.startPresence(); err != nil {
		r.feed.Stop()
		return nil, err
	}
	return r, nil
}

// ANCHOR_END: open

// ANCHOR: deliver

// deliver hands one message of the feed to every member on this process.
// It never waits for a member: offer drops (evicts) a member whose queue
// is full, so one client that stopped reading delays no one. The message
// is encoded once, as a gorilla PreparedMessage, whatever the number of
// members: each writer sends the same frame bytes.
//
// If the message names as the one before it (prev) an id after the last
// one delivered, the room said more than its history keeps while this
// feed was behind, and the stream dropped messages before the feed could
// read them: the members are told so, as a resume past the history is,
// before the message. A gap they know of, they can show; a silent one
// would be a lie.
func (r *room) deliver(msg jetstream.Msg) {
	md, err := msg.Metadata()
	if err != nil {
		slog.Warn("room feed: not a JetStream message", "room", r.name, "err", err)
		return
	}
	m, prev, err := decode(r.name, md.Sequence.Stream, msg.Data())
	if err != nil {
		slog.Warn("room feed", "room", r.name, "err", err)
		return
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, mustJSON(m))
	if err != nil {
		slog.Warn("room feed", "room", r.name, "err", err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var lost *websocket.PreparedMessage
	if prev > r.last {
		text := fmt.Sprintf("messages after id %d up to id %d left the history"+
			" (a room keeps its last %d) before they could be sent: some are lost",
			r.last, prev, r.rooms.bus.kept)
		lost, _ = websocket.NewPreparedMessage(websocket.TextMessage,
			mustJSON(errorReply{Type: "error", Text: text}))
		slog.Warn("room feed fell behind the history",
			"room", r.name, "after", r.last, "upTo", prev)
	}
	r.last = m.ID
	for c := range r.members {
		if lost != nil {
			c.offer(outgoing{pm: lost})
		}
		c.offer(outgoing{pm: pm})
	}
}

// lastID is a member's best guess of the room's last message when it
// says the next one: the last the feed delivered, or the last this
// process stored, if the feed has not delivered that one yet (one member
// saying message after message would otherwise guess wrong each time,
// and pay a second round trip to the stream for every say).
func (r *room) lastID() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return max(r.last, r.said)
}

// stored notes that this process stored id in the room.
func (r *room) stored(id uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.said = max(r.said, id)
}

// ANCHOR_END: deliver

// leave removes c from its room, and closes the room's feed if c was its
// last member on this process.
func (rs *rooms) leave(c *client, r *room) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r.mu.Lock()
	delete(r.members, c)
	empty := len(r.members) == 0
	r.announceLocked()
	r.mu.Unlock()
	if empty {
		r.close()
		delete(rs.byName, r.name)
	}
}

// close stops the room's feed and presence, and tells the other
// processes that this one has no members left in the room.
func (r *room) close() {
	r.mu.Lock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	r.publishLocked(false)
	r.mu.Unlock()
	r.feed.Stop()
	close(r.stop)
	_ = r.sub.Unsubscribe()
}

// namesLocked returns the names of the members here. r.mu must be held.
func (r *room) namesLocked() []string {
	names := make([]string, 0, len(r.members))
	for c := range r.members {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return names
}
