package main

import (
	"encoding/json"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/gorilla/websocket"
	"github.com/nats-io/nats.go"
)

// ANCHOR: presence

// Presence runs on core NATS, not JetStream: who is in a room now is not
// history to replay. Every process with members in a room publishes the
// names of its own members on chat.presence.ROOM whenever they change and
// every presenceEvery; every process adds up what the others said. Core
// NATS delivers at most once: an announcement lost while a server
// restarts is repaired by the next one, and a process that died without a
// word is forgotten after presenceTTL.
//
// A change is announced presenceDelay after it happens, with the changes
// that follow it in the meantime: a thousand members joining in one
// second then cost ten announcements, not a thousand presences sent to
// up to a thousand members each (a million messages).
const (
	presenceEvery = 5 * time.Second
	presenceTTL   = 3 * presenceEvery
	presenceDelay = 100 * time.Millisecond
)

// announcement is one process's members of one room.
type announcement struct {
	Node  string   `json:"node"`
	Names []string `json:"names"`
	// Ask asks every other process to announce at once: sent by a process
	// that has just opened the room, so that it need not wait presenceEvery.
	Ask bool `json:"ask,omitempty"`
}

// ANCHOR_END: presence

// remote is what another process last announced, and when.
type remote struct {
	names []string
	seen  time.Time
}

func presenceSubject(room string) string { return "chat.presence." + room }

// startPresence subscribes to the room's announcements, asks the others
// for theirs, and starts the heartbeat.
func (r *room) startPresence() error {
	nc := r.rooms.bus.nc
	sub, err := nc.Subscribe(presenceSubject(r.name), r.heard)
	if err != nil {
		return err
	}
	r.sub = sub
	go r.heartbeat()
	return nil
}

// heard handles another process's announcement.
func (r *room) heard(msg *nats.Msg) {
	var a announcement
	if err := json.Unmarshal(msg.Data, &a); err != nil || a.Node == "" {
		slog.Warn("presence: not an announcement", "room", r.name)
		return
	}
	if a.Node == r.rooms.node {
		return // our own, echoed back by NATS
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(a.Names) == 0 {
		delete(r.others, a.Node)
	} else {
		r.others[a.Node] = remote{names: a.Names, seen: time.Now()}
	}
	if a.Ask {
		r.publishLocked(false)
	}
	r.showLocked()
}

// heartbeat announces this process's members every presenceEvery, and
// forgets processes not heard from within presenceTTL.
func (r *room) heartbeat() {
	tick := time.NewTicker(presenceEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			r.mu.Lock()
			for node, o := range r.others {
				if time.Since(o.seen) > presenceTTL {
					delete(r.others, node)
				}
			}
			r.publishLocked(false)
			r.showLocked()
			r.mu.Unlock()
		case <-r.stop:
			return
		}
	}
}

// announceLocked tells the other processes and the members here, within
// presenceDelay, that the members here changed. r.mu must be held.
func (r *room) announceLocked() {
	if r.timer == nil && !r.closed {
		r.timer = time.AfterFunc(presenceDelay, r.flush)
	}
}

// flush announces the members here. The first announcement of a room asks
// the others to answer.
func (r *room) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timer = nil
	if r.closed {
		return
	}
	r.publishLocked(!r.asked)
	r.asked = true
	r.showLocked()
}

// publishLocked publishes this process's members. r.mu must be held.
func (r *room) publishLocked(ask bool) {
	a := announcement{Node: r.rooms.node, Names: r.namesLocked(), Ask: ask}
	if err := r.rooms.bus.nc.Publish(presenceSubject(r.name), mustJSON(a)); err != nil {
		slog.Warn("presence: publish", "room", r.name, "err", err)
	}
}

// showLocked sends every member here the room's presence, if it changed
// since it was last sent. r.mu must be held.
func (r *room) showLocked() {
	names := r.namesLocked()
	for _, o := range r.others {
		names = append(names, o.names...)
	}
	sort.Strings(names)
	if r.shown != nil && slices.Equal(names, r.shown) {
		return
	}
	r.shown = names
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage,
		mustJSON(presence{Type: "presence", Room: r.name, Names: names}))
	if err != nil {
		return
	}
	for c := range r.members {
		c.offer(outgoing{pm: pm})
	}
}
