package main

import (
	"net"
	"sync"
	"time"

	"github.com/websocket-in-go/workbook/web/policy"
)

// ANCHOR: wire

// wire is the TCP connection under x/net's websocket.Conn: we hand it to
// x/net at the hijack (hijack.go), so every byte x/net reads or writes
// passes through here. It adds the three things x/net leaves out, each at
// the one place that sees all traffic, including the pongs that x/net
// writes from inside Receive where no handler can reach:
//
//   - Every write has a deadline: writeWait from when it starts, or the
//     goodbye's cap if that is sooner. x/net's own pongs had none, so a
//     client that pings and never reads held the handler for ever.
//   - Every whole frame that arrives, pongs included, moves the read
//     deadline pongWait ahead. A peer that vanishes, even in the middle of
//     a frame, is dropped when it passes.
//   - Nothing goes out after our close frame (RFC 6455 §5.5.1): not the
//     echo of a message already read, not a pong, not a second close.
//     Those bytes are dropped and reported as written, so x/net reads on
//     and the handler waits, at most policy.CloseGrace, for the peer's close.
type wire struct {
	net.Conn
	pending             []byte // what net/http had buffered, read before Conn
	pongWait, writeWait time.Duration

	in frameEnds // the read side; x/net reads from one goroutine at a time

	mu        sync.Mutex
	framing   bool      // the handshake is done; frames follow
	response  []byte    // the HTTP response x/net wrote, if it refused
	out       frameEnds // the write side
	closeSent bool      // our close frame is on the wire
	writeCap  time.Time // no write may last past this (zero: none)
	writeErr  error     // the first write that failed
}

// newWire wraps the hijacked connection c; buffered is what net/http had
// already read from it past the request headers.
func newWire(c net.Conn, buffered []byte, pongWait, writeWait time.Duration) *wire {
	w := &wire{Conn: c, pending: buffered, pongWait: pongWait, writeWait: writeWait}
	w.in.keepData = true
	return w
}

// startFrames marks the end of the handshake: from here on the bytes are
// frames, and the peer has pongWait to send the first one.
func (w *wire) startFrames() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.framing = true
	_ = w.Conn.SetReadDeadline(time.Now().Add(w.pongWait))
}

// Read reads from the connection and moves the read deadline forward if a
// frame ended in what it read.
func (w *wire) Read(p []byte) (int, error) {
	var n int
	var err error
	if len(w.pending) > 0 {
		n = copy(p, w.pending)
		w.pending = w.pending[n:]
	} else {
		n, err = w.Conn.Read(p)
	}
	whole := false
	for rest := p[:n]; len(rest) > 0; {
		k, ended := w.in.next(rest)
		rest, whole = rest[k:], whole || ended
	}
	if whole {
		w.mu.Lock()
		if !w.closeSent {
			_ = w.Conn.SetReadDeadline(time.Now().Add(w.pongWait))
		}
		w.mu.Unlock()
	}
	return n, err
}

// Write writes p with a deadline, up to the end of our close frame.
func (w *wire) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.closeSent {
		w.mu.Unlock()
		return len(p), nil // after our close frame, nothing
	}
	k, closing := len(p), false
	if w.framing {
		for i := 0; i < len(p); {
			n, ended := w.out.next(p[i:])
			i += n
			if ended && w.out.last == closeOpcode {
				k, closing = i, true
				break
			}
		}
	} else if len(w.response) < 1024 {
		w.response = append(w.response, p[:min(len(p), 1024-len(w.response))]...)
	}
	deadline := time.Now().Add(w.writeWait)
	if !w.writeCap.IsZero() && w.writeCap.Before(deadline) {
		deadline = w.writeCap
	}
	_ = w.Conn.SetWriteDeadline(deadline)
	if closing {
		w.closeSent = true // from now on, reads no longer move the deadline
	}
	w.mu.Unlock()

	n, err := w.Conn.Write(p[:k])
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.writeErr = err
		return n, err
	}
	if closing {
		// The peer now has CloseGrace to answer with its close.
		_ = w.Conn.SetReadDeadline(time.Now().Add(policy.CloseGrace))
	}
	return len(p), nil
}

// capWrites makes every write, the one in progress too, end by t.
func (w *wire) capWrites(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.writeCap.IsZero() || t.Before(w.writeCap) {
		w.writeCap = t
		_ = w.Conn.SetWriteDeadline(t)
	}
}

// ANCHOR_END: wire

// peerClosed reports whether the peer has sent a close frame. Call it from
// the goroutine that reads.
func (w *wire) peerClosed() bool { return w.in.sawClose }

// state returns whether our close frame went out and the first write error.
func (w *wire) state() (closeSent bool, writeErr error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeSent, w.writeErr
}

// refusal returns the HTTP response x/net wrote before any frame: when the
// handshake failed, its status line and the reason in its body.
func (w *wire) refusal() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.response
}
