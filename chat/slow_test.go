package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlowClientIsEvicted: a member that never reads fills its queue and
// is evicted (close 1008, or a dropped connection if even the close frame
// cannot get through); the others get every message in order meanwhile,
// each within ioWait (well under the writeWait a blocked room would wait),
// and the room's presence no longer lists it.
func TestSlowClientIsEvicted(t *testing.T) {
	s := startChat(t, startNATS(t))
	slow := dial(t, s.WS())
	slow.join("lobby", "slow", nil)
	slow.waitPresence("slow") // and from now on, never reads
	fast, talker := dial(t, s.WS()), dial(t, s.WS())
	fast.join("lobby", "fast", nil)
	fast.waitPresence("fast", "slow")
	talker.join("lobby", "talker", nil)
	fast.waitPresence("fast", "slow", "talker")

	go func() { // the talker reads everything, or it would be evicted too
		for {
			if _, _, err := talker.conn.NextReader(); err != nil {
				return
			}
		}
	}()
	start := time.Now()
	const n = 2000 // 8 MiB of text: more than the socket buffers (4 MiB at most here) and the queue (1 MiB) hold
	text := strings.Repeat("x", maxText-8)
	go func() {
		for i := range n {
			_ = talker.conn.SetWriteDeadline(time.Now().Add(ioWait))
			if talker.conn.WriteJSON(map[string]string{"type": "say", "text": text + strings.Repeat("0", 8-len(itoa(i))) + itoa(i)}) != nil {
				return
			}
		}
	}()
	var names []string // the last presence the fast client saw
	for i := 0; i < n; {
		m := fast.next()
		switch m.Type {
		case "message":
			require.True(t, strings.HasSuffix(m.Text, itoa(i)), "message %d out of order", i)
			i++
		case "presence":
			names = m.Names
		default:
			t.Fatalf("unexpected %+v", m)
		}
	}
	t.Logf("the fast client read %d messages in %v", n, elapsed(start))
	if strings.Join(names, ",") != "fast,talker" {
		fast.waitPresence("fast", "talker") // the slow one is gone from the room
	}

	t.Logf("presence without the slow one after %v", elapsed(start))
	// What the slow client has in its buffers, then the end. The claim is
	// that the end comes, not how soon: under -race on a loaded two-CPU
	// machine one run waited more than ioWait for it, so 30 s per read.
	slow.wait = clusterWait
	got, last := 0, uint64(0)
	for {
		w, err := slow.read()
		if err != nil {
			var ce *websocket.CloseError
			if assertCloseOrDrop(t, err, &ce) && ce != nil && ce.Code != websocket.CloseAbnormalClosure {
				assert.Equal(t, closeSlow, ce.Code)
				assert.Contains(t, ce.Text, "too slow")
			}
			break
		}
		if w.Type == "message" {
			require.True(t, strings.HasSuffix(w.Text, itoa(got)), "message %d out of order", got)
			got++
			last = w.ID
		}
	}
	assert.Less(t, got, n, "the slow client was dropped before the end")
	t.Logf("the slow client read %d of %d messages, then was evicted (%v)", got, n, elapsed(start))

	// Eviction costs a reconnect, not a message: the slow client comes
	// back with its cursor and gets the rest, each once, in order.
	back := dial(t, s.WS())
	back.join("lobby", "slow", &last)
	for i := got; i < n; i++ {
		m := back.nextOf("message")
		require.True(t, strings.HasSuffix(m.Text, itoa(i)), "message %d after the resume: %.20q…", i, m.Text[len(m.Text)-8:])
	}
	talker.say("end")
	assert.Equal(t, "end", back.nextOf("message").Text, "nothing twice after the last")
}

// assertCloseOrDrop asserts that err is a close frame (put in *ce) or the
// end of the connection, not a timeout.
func assertCloseOrDrop(t *testing.T, err error, ce **websocket.CloseError) bool {
	var c *websocket.CloseError
	if errorsAs(err, &c) {
		*ce = c
		return true
	}
	var ne net.Error
	if errorsAs(err, &ne) && ne.Timeout() {
		t.Errorf("the slow client was not dropped: %v", err)
		return false
	}
	return true
}

// elapsed is the time since start, to the millisecond, as the test's log
// shows it.
func elapsed(start time.Time) time.Duration {
	return time.Since(start).Round(time.Millisecond)
}
