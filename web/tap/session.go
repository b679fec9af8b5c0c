package tap

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"sync"
	"time"
)

// The bounds of the inspector: whatever clients do, memory and goroutines
// stay within them.
const (
	// MaxSessions is how many tokens may be live at once. A page holds
	// one; a tab left open holds one. Past it, POST /inspect/new answers
	// 503 until a session ends.
	MaxSessions = 100

	// QueueLen is how many records wait for a slow inspector. Past it the
	// newest are dropped and counted (a KindDropped record says how
	// many): the echo never waits for its inspector.
	QueueLen = 256

	// TokenTTL is how long a token waits for its inspector and its
	// connection: a session that lacks either by then ends, and its
	// connection, if any, is no longer watched. A page opens both at once.
	TokenTTL = 30 * time.Second
)

// ErrFull is why POST /inspect/new answers 503: MaxSessions are live.
var ErrFull = errors.New("tap: too many inspector sessions")

// ANCHOR: session

// session joins one watched connection to one inspector through a bounded
// queue. Either may come first: records wait in the queue (the handshake
// happens before the page's inspector socket is open, usually).
type session struct {
	token string
	q     chan Record // closed by end

	mu       sync.Mutex
	conn     *Conn // the watched connection, while bound
	bound    bool  // a connection has taken the session (it may be gone)
	attached bool  // an inspector has taken the session
	ended    bool  // no more records: q is closed
	dropped  int   // records lost since the last one queued
	timer    *time.Timer
}

// push queues r without ever blocking: if the queue is full, r is dropped
// and counted, and the count goes into the queue ahead of the next record
// that fits.
func (s *session) push(r Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	if s.dropped > 0 {
		select {
		case s.q <- Record{Kind: KindDropped, Dropped: s.dropped}:
			s.dropped = 0
		default:
			s.dropped++
			return
		}
	}
	select {
	case s.q <- r:
	default:
		s.dropped++
	}
}

// ANCHOR_END: session

// end closes the queue: the inspector sends what is in it, then closes.
// It returns the watched connection, if any, for the caller to detach.
func (s *session) end() *Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		s.ended = true
		close(s.q)
		if s.timer != nil {
			s.timer.Stop()
		}
	}
	c := s.conn
	s.conn = nil
	return c
}

// sessions is the table of live tokens.
type sessions struct {
	mu sync.Mutex
	by map[string]*session
}

// newSession makes a session with a fresh token, or returns ErrFull.
func (t *Tap) newSession() (*session, error) {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on Linux, per its docs
	s := &session{token: base64.RawURLEncoding.EncodeToString(raw[:]), q: make(chan Record, QueueLen)}
	t.sessions.mu.Lock()
	defer t.sessions.mu.Unlock()
	if t.sessions.by == nil {
		t.sessions.by = make(map[string]*session)
	}
	if len(t.sessions.by) >= MaxSessions {
		return nil, ErrFull
	}
	t.sessions.by[s.token] = s
	s.timer = time.AfterFunc(t.ttl(), func() { t.expire(s) })
	return s, nil
}

// bind gives the session of token to the connection c, if the token is
// live and no connection has it yet.
func (t *Tap) bind(token string, c *Conn) *session {
	t.sessions.mu.Lock()
	s := t.sessions.by[token]
	t.sessions.mu.Unlock()
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bound || s.ended {
		return nil
	}
	s.conn, s.bound = c, true
	return s
}

// attach gives the session of token to an inspector, if the token is live
// and no inspector has it yet: a token is watched once. A session whose
// connection has closed already can still be attached: its records wait.
func (t *Tap) attach(token string) *session {
	t.sessions.mu.Lock()
	s := t.sessions.by[token]
	t.sessions.mu.Unlock()
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attached {
		return nil
	}
	s.attached = true
	return s
}

// finish ends the session, forgets its token and stops watching its
// connection.
func (t *Tap) finish(s *session) {
	t.sessions.mu.Lock()
	if t.sessions.by[s.token] == s {
		delete(t.sessions.by, s.token)
	}
	t.sessions.mu.Unlock()
	if c := s.end(); c != nil {
		c.detach(s)
	}
}

// expire finishes a session that has not been joined at both ends in
// time: no inspector, or no connection. An inspector cannot hold a token
// that nothing uses.
func (t *Tap) expire(s *session) {
	s.mu.Lock()
	joined := s.attached && s.bound
	s.mu.Unlock()
	if !joined {
		t.finish(s)
	}
}

// Sessions reports how many tokens are live.
func (t *Tap) Sessions() int {
	t.sessions.mu.Lock()
	defer t.sessions.mu.Unlock()
	return len(t.sessions.by)
}
