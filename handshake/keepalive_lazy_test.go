package handshake

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadlineCounter counts the read deadlines set on a connection.
type deadlineCounter struct {
	*net.TCPConn
	set atomic.Int64
}

func (d *deadlineCounter) SetReadDeadline(t time.Time) error {
	d.set.Add(1)
	return d.TCPConn.SetReadDeadline(t)
}

// TestKeepaliveMovesItsDeadlineOncePerPeriod: a peer that talks all the
// time is never pinged, every one of its frames is read, and the read
// deadline moves about once a period, not once a frame (each move resets
// a timer of the runtime's poller).
func TestKeepaliveMovesItsDeadlineOncePerPeriod(t *testing.T) {
	const period, frames = 50 * time.Millisecond, 100
	raw, srv := tcpPair(t)
	counted := &deadlineCounter{TCPConn: srv}
	c := newConn(counted, nil, false)
	c.SetKeepalive(period, 10*period)

	pings := make(chan header, 1)
	go func() { // the peer: a frame every 5 ms, and it watches for pings
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for range frames {
			<-tick.C
			if _, err := raw.Write(frame(true, 0, OpBinary, true, []byte("busy"))); err != nil {
				return
			}
		}
	}()
	go func() {
		var h header
		var scratch [maxHeaderLen]byte
		if readHeader(raw, &scratch, &h) == nil {
			pings <- h
		}
	}()
	start := time.Now()
	for i := range frames {
		_, msg, err := c.ReadMessage()
		require.NoError(t, err, "frame %d", i)
		require.Equal(t, "busy", string(msg))
	}
	took := time.Since(start)
	select {
	case h := <-pings:
		t.Fatalf("a talking peer was sent a frame of opcode %#x", byte(h.op))
	default:
	}
	periods := int64(took/period) + 2 // the first deadline, and one more at most per period
	assert.LessOrEqual(t, counted.set.Load(), periods,
		"read deadlines set for %d frames in %v", frames, took.Round(time.Millisecond))
}

// TestKeepaliveDropsATrickle: moving the deadline lazily must not let a
// peer keep a frame open by sending its payload a byte at a time. Only a
// frame header counts as hearing from the peer, so a frame that takes
// longer than a period fails, however steadily its bytes come.
func TestKeepaliveDropsATrickle(t *testing.T) {
	const period = 50 * time.Millisecond
	raw, srv := tcpPair(t)
	c := newConn(srv, nil, false)
	c.SetKeepalive(period, 10*period)
	whole := frame(true, 0, OpBinary, true, make([]byte, 100))
	go func() { // the header, then a byte every 10 ms: 1 s for the frame
		if _, err := raw.Write(whole[:6]); err != nil {
			return
		}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for _, b := range whole[6:] {
			<-tick.C
			if _, err := raw.Write([]byte{b}); err != nil {
				return
			}
		}
	}()
	start := time.Now()
	_, _, err := c.ReadMessage()
	require.Error(t, err, "a frame trickled for longer than a period")
	assert.True(t, isTimeout(err), "dropped by its deadline: %v", err)
	assert.Less(t, time.Since(start), 10*period, "dropped within the pong wait, not at the frame's end")
}

// TestKeepaliveTicks: moving the deadline lazily keeps its times. A peer
// that talks for a while and then falls silent (it answers no ping) is
// pinged a period after its last frame, and dropped wait after it: never
// early, and late only by what a loaded machine adds (room).
func TestKeepaliveTicks(t *testing.T) {
	const period, wait, room = 100 * time.Millisecond, 300 * time.Millisecond, 200 * time.Millisecond
	raw, srv := tcpPair(t)
	c := newConn(srv, nil, false)
	c.SetKeepalive(period, wait)

	var last atomic.Int64 // when the peer's last frame went out, in Unix ns
	go func() {
		tick := time.NewTicker(period / 4) // talks across a few ticks
		defer tick.Stop()
		for range 10 {
			<-tick.C
			last.Store(time.Now().UnixNano())
			if _, err := raw.Write(frame(true, 0, OpBinary, true, []byte("hi"))); err != nil {
				return
			}
		}
	}()
	for range 10 {
		_, _, err := c.ReadMessage()
		require.NoError(t, err)
	}
	spoke := time.Unix(0, last.Load()) // the 10th frame has arrived: this is its time

	pinged := make(chan time.Time, 1)
	go func() {
		var h header
		var scratch [maxHeaderLen]byte
		if readHeader(raw, &scratch, &h) == nil && h.op == OpPing {
			pinged <- time.Now()
		}
	}()
	_, _, err := c.ReadMessage()
	dropped := time.Since(spoke)
	require.Error(t, err)
	assert.True(t, isTimeout(err), "dropped by its deadline: %v", err)
	select {
	case at := <-pinged:
		silent := at.Sub(spoke)
		assert.GreaterOrEqual(t, silent, period, "pinged early")
		assert.LessOrEqual(t, silent, period+room, "pinged late")
	case <-time.After(testTimeout):
		t.Fatal("dropped without a ping")
	}
	assert.GreaterOrEqual(t, dropped, wait, "dropped early")
	assert.LessOrEqual(t, dropped, wait+room, "dropped late")
}
