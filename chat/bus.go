package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ANCHOR: stream

// The stream that holds every room's messages.
const (
	// streamName is the JetStream stream.
	streamName = "CHAT"
	// roomSubjects are its subjects: chat.room.lobby is the room lobby.
	roomSubjects = "chat.room.>"
	// historyPerRoom is how many messages the stream keeps per room unless
	// -history says otherwise, the most a since can replay: older ones are
	// dropped, oldest first.
	historyPerRoom = 10000
)

// roomSubject is the subject of room.
func roomSubject(room string) string { return "chat.room." + room }

// streamConfig is the stream every chat process creates, or finds
// already created by another (CreateOrUpdateStream is idempotent).
// replicas is 1 on one NATS server and 3 on a cluster of three: each
// message is then stored on three servers, and survives losing one.
// history is the messages kept per room.
func streamConfig(replicas int, history int64) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              streamName,
		Subjects:          []string{roomSubjects},
		Storage:           jetstream.FileStorage,
		Replicas:          replicas,
		MaxMsgsPerSubject: history,
		MaxAge:            24 * time.Hour,
		// A publish retried after a lost ack carries the same Nats-Msg-Id:
		// within this window the stream stores it once.
		Duplicates: 2 * time.Minute,
	}
}

// ANCHOR_END: stream

// bus is the chat's connection to NATS: core NATS for presence, JetStream
// for the rooms' messages.
type bus struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	kept   int64         // messages the stream keeps per room (-history)
	done   chan struct{} // closed once nc is
}

// ANCHOR: connect

// connect dials the NATS servers in urls (comma-separated), creates the
// stream, and returns the bus. The client reconnects for ever, to any of
// the servers it knows (those given and those the cluster tells it of).
func connect(ctx context.Context, urls string, replicas int, history int64) (*bus, error) {
	done := make(chan struct{})
	nc, err := nats.Connect(urls,
		nats.Name("chat"),
		nats.ClosedHandler(func(*nats.Conn) { close(done) }),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(false),
	)
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS at %s: %w", urls, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	// A cluster that has just started may still be electing its meta
	// leader: try for a while before giving up.
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		stream, err := js.CreateOrUpdateStream(ctx, streamConfig(replicas, history))
		if err == nil {
			kept := stream.CachedInfo().Config.MaxMsgsPerSubject
			return &bus{nc: nc, js: js, stream: stream, kept: kept, done: done}, nil
		}
		select {
		case <-ctx.Done():
			nc.Close()
			return nil, fmt.Errorf("creating the JetStream stream %s: %w", streamName, err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// ANCHOR_END: connect

// close drains the connection (what was published is sent first) and
// waits until it is closed.
func (b *bus) close() {
	if err := b.nc.Drain(); err != nil {
		b.nc.Close()
	}
	<-b.done
}

// ANCHOR: publish

// publishWait bounds one say: a cluster electing a new stream leader
// after losing a server takes a few seconds, so a failed publish is
// retried until then. Each try waits for its ack for publishTry at most:
// a request that went to the server that died is never answered, and
// waiting for it would use up the whole publishWait.
const (
	publishWait = 15 * time.Second
	publishTry  = 2 * time.Second
)

// publish stores one message said in room and returns its id. prev is
// the caller's guess of the room's last id. The message carries it
// (m.Prev), and the stream stores the message only if prev is still the
// last id on the room's subject (Nats-Expected-Last-Subject-Sequence):
// if another message got in first, the last id is read again from the
// stream and the publish tried again, so every stored message names the
// one before it. Every try carries the same message id (Nats-Msg-Id), so
// a retry after a lost ack stores the message once, not twice: its check
// fails (the message is the room's last now), and the next try, naming
// the message itself as prev, is answered as a duplicate, with its id.
func (b *bus) publish(ctx context.Context, room, msgID string,
	prev uint64, m stored) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, publishWait)
	defer cancel()
	for {
		m.Prev = prev
		try, cancelTry := context.WithTimeout(ctx, publishTry)
		ack, err := b.js.Publish(try, roomSubject(room), mustJSON(m),
			jetstream.WithMsgID(msgID), jetstream.WithExpectLastSequencePerSubject(prev))
		cancelTry()
		if err == nil {
			return ack.Sequence, nil
		}
		if wrongLast(err) {
			if prev, err = b.lastID(ctx, room); err == nil {
				continue
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("publishing to %s: %w", roomSubject(room), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// wrongLast reports whether err is the stream refusing a publish whose
// expected last sequence on the subject is not the last: error 10071,
// or 10164 from a replicated stream.
func wrongLast(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) &&
		(apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// lastID is the id of room's last message in the stream, 0 if it has none.
func (b *bus) lastID(ctx context.Context, room string) (uint64, error) {
	raw, err := b.stream.GetLastMsgForSubject(ctx, roomSubject(room))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return raw.Sequence, nil
}

// ANCHOR_END: publish

// ANCHOR: replay

// replay calls send for every message of room with an id in (since,
// until], in order, reading them from the stream one by one: "the first
// message on this subject at or after seq". until is where the room's live
// feed takes over, so nothing is sent twice. If the first message found
// names as the one before it (Prev) an id after since, the messages in
// between have left the history (a room keeps its last b.kept): send gets
// an error saying so, first.
func (b *bus) replay(ctx context.Context, room string, since, until uint64,
	send func(any)) error {
	subject := roomSubject(room)
	for seq := since + 1; seq <= until; {
		raw, err := b.stream.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil // no later message in the room
		}
		if err != nil {
			return err
		}
		if raw.Sequence > until {
			return nil
		}
		m, prev, err := decode(room, raw.Sequence, raw.Data)
		if err != nil {
			return err
		}
		if seq == since+1 && prev > since {
			send(errorReply{Type: "error", Text: fmt.Sprintf(
				"history before id %d is gone (a room keeps its last %d messages): "+
					"some said after id %d are lost",
				raw.Sequence, b.kept, since)})
		}
		send(m)
		seq = raw.Sequence + 1
	}
	return nil
}

// ANCHOR_END: replay

// decode turns a stored message back into the message clients get, and
// the id of the room's message before it.
func decode(room string, id uint64, data []byte) (message, uint64, error) {
	var s stored
	if err := json.Unmarshal(data, &s); err != nil {
		return message{}, 0, fmt.Errorf("message %d in the stream is not ours: %w", id, err)
	}
	return message{Type: "message", ID: id, Room: room, From: s.From, Text: s.Text, Time: s.Time}, s.Prev, nil
}

// ANCHOR: embedded

// embedded is a NATS server run inside the chat process, with JetStream
// on: what -nats "" starts, so that go run ./chat needs nothing else.
type embedded struct {
	ns      *server.Server
	tempDir string // removed at shutdown; "" if -nats-store was given
}

// startEmbedded starts a NATS server on a random loopback port, storing
// JetStream's files in storeDir, or in a temporary directory if it is "".
func startEmbedded(storeDir string) (*embedded, error) {
	e := &embedded{}
	if storeDir == "" {
		dir, err := os.MkdirTemp("", "chat-nats-")
		if err != nil {
			return nil, err
		}
		storeDir, e.tempDir = dir, dir
	}
	ns, err := server.NewServer(&server.Options{
		ServerName: "chat-embedded",
		Host:       "127.0.0.1",
		Port:       server.RANDOM_PORT,
		JetStream:  true,
		StoreDir:   storeDir,
		NoSigs:     true, // the chat handles SIGINT and SIGTERM itself
		NoLog:      true,
	})
	if err != nil {
		e.remove()
		return nil, fmt.Errorf("embedded NATS server: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		e.remove()
		return nil, errors.New("embedded NATS server did not start within 10s")
	}
	e.ns = ns
	return e, nil
}

// ANCHOR_END: embedded

// url is the server's client URL, e.g. nats://127.0.0.1:40123.
func (e *embedded) url() string { return e.ns.ClientURL() }

// stop shuts the server down and removes its temporary store.
func (e *embedded) stop() {
	e.ns.Shutdown()
	e.ns.WaitForShutdown()
	e.remove()
}

func (e *embedded) remove() {
	if e.tempDir != "" {
		_ = os.RemoveAll(e.tempDir)
	}
}

// natsURLs checks a -nats value: comma-separated nats:// URLs.
func natsURLs(v string) error {
	for _, u := range strings.Split(v, ",") {
		u = strings.TrimSpace(u)
		if !strings.HasPrefix(u, "nats://") && !strings.HasPrefix(u, "tls://") {
			return fmt.Errorf("-nats %q: want nats://HOST:PORT, or several separated by commas", u)
		}
	}
	return nil
}
