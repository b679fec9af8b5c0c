package main

import (
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAFeedBehindTheHistoryIsTold: a room's feed on process B falls
// behind while the room says more than its history keeps (-history 5).
// The stream drops the oldest messages before B's feed has read them; B's
// watcher must be told that some are lost, at the place they are missing,
// and get every message that is still there once, in order. Before
// messages named their predecessor, the watcher got the last five after
// the first batch with nothing in between to say that hundreds were gone.
func TestAFeedBehindTheHistoryIsTold(t *testing.T) {
	nats := startNATS(t)
	link := startPausable(t, strings.TrimPrefix(nats, "nats://"))
	a := startChat(t, nats, "-history", "5")
	b := startChat(t, "nats://"+link.addr(), "-history", "5")

	watcher := dial(t, b.WS())
	watcher.join("lobby", "watcher", nil)
	watcher.waitPresence("watcher")
	talker := dial(t, a.WS())
	talker.join("lobby", "talker", nil)
	talker.waitPresence("talker", "watcher")

	// B hears nothing from NATS while the room says n messages: B's feed
	// has at most one pull's worth (feedBatch) on the way, the stream
	// keeps 5 of the rest. The talker's own feed, on A, tells when
	// every message is stored.
	const n = 1200
	last := "m " + strconv.Itoa(n-1)
	stored := make(chan error, 1)
	go func() { // the talker reads as it talks, or it is evicted as slow
		for {
			w, err := talker.read()
			if err != nil || w.Text == last {
				stored <- err
				return
			}
		}
	}()
	link.pause()
	for i := range n {
		talker.say("m " + strconv.Itoa(i))
	}
	require.NoError(t, <-stored)
	link.resume()

	var got []wire // the messages and errors, in the order they came
	for {
		w := watcher.next()
		if w.Type == "presence" {
			continue
		}
		got = append(got, w)
		if w.Text == last {
			break
		}
	}

	gaps, prev := 0, -1
	var lastID uint64
	for i, w := range got {
		if w.Type == "error" {
			assert.Contains(t, w.Text, "left the history (a room keeps its last 5) before they could be sent: some are lost")
			continue
		}
		require.Equal(t, "message", w.Type, "%+v", w)
		k, err := strconv.Atoi(strings.TrimPrefix(w.Text, "m "))
		require.NoError(t, err)
		require.Greater(t, w.ID, lastID, "ids grow: %+v", w)
		lastID = w.ID
		if k != prev+1 {
			gaps++
			require.Greater(t, k, prev, "message %q came twice or out of order", w.Text)
			require.True(t, i > 0 && got[i-1].Type == "error",
				"messages m %d to m %d are missing and nothing said so before %q", prev+1, k-1, w.Text)
		}
		prev = k
	}
	require.Positive(t, gaps, "the feed never fell behind the history: the test tested nothing")
	t.Logf("%d items, %d gaps, each told", len(got), gaps)
}

// pausable is a TCP relay between a chat process and NATS whose way back
// (NATS to the chat) can be held: a process whose NATS connection is
// slow, as seen from the feed.
type pausable struct {
	ln   net.Listener
	gate sync.RWMutex // held by pause: the copier takes it to write
}

// startPausable relays a loopback port to upstream until the test ends.
func startPausable(t testing.TB, upstream string) *pausable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &pausable{ln: ln}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			down, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", upstream)
			if err != nil {
				down.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, down, up)
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); _, _ = io.Copy(up, down); up.Close() }()
			go func() { defer wg.Done(); p.copyBack(down, up); down.Close() }()
		}
	}()
	return p
}

// copyBack copies NATS's bytes to the chat, waiting at the gate.
func (p *pausable) copyBack(down, up net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := up.Read(buf)
		if n > 0 {
			p.gate.RLock()
			_, werr := down.Write(buf[:n])
			p.gate.RUnlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *pausable) addr() string { return p.ln.Addr().String() }
func (p *pausable) pause()       { p.gate.Lock() }
func (p *pausable) resume()      { p.gate.Unlock() }

// TestTwoProcessesTalkAtOnce: two members on two processes say 200
// messages each into one room at the same time, so their publishes race
// for the room's last id and many are refused and tried again. Every
// message is stored once, and a watcher sees all 400 with no error: the
// retry never stores a message twice, and never makes a gap that is not
// there.
func TestTwoProcessesTalkAtOnce(t *testing.T) {
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)
	watcher := dial(t, a.WS())
	watcher.join("lobby", "watcher", nil)
	watcher.waitPresence("watcher")

	const n = 200
	ann, bob := dial(t, a.WS()), dial(t, b.WS())
	ann.join("lobby", "ann", nil)
	ann.waitPresence("ann", "watcher")
	bob.join("lobby", "bob", nil)
	bob.waitPresence("ann", "bob", "watcher")
	said := make(chan error, 2)
	for _, c := range []*chatter{ann, bob} {
		name := map[*chatter]string{ann: "ann", bob: "bob"}[c]
		go func() { // hears the room, or its queue fills and it is evicted
			for {
				if _, _, err := c.conn.NextReader(); err != nil {
					return
				}
			}
		}()
		go func() {
			for _, text := range numbered(name, n) {
				if err := c.conn.WriteJSON(map[string]string{"type": "say", "text": text}); err != nil {
					said <- err
					return
				}
			}
			said <- nil
		}()
	}
	for range 2 {
		require.NoError(t, <-said)
	}

	seen := make(map[string]bool)
	var lastID uint64
	for len(seen) < 2*n {
		w := watcher.next()
		if w.Type == "presence" {
			continue
		}
		require.Equal(t, "message", w.Type, "%+v", w)
		require.False(t, seen[w.Text], "%q came twice", w.Text)
		require.Greater(t, w.ID, lastID)
		seen[w.Text], lastID = true, w.ID
	}
}
