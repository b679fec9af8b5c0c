package events

// ANCHOR: subscriber
// Subscriber is one WebSocket client's place in the fan-out. Publish offers
// each event to its queue, a buffered channel of fixed size, and never
// blocks: a client that falls so far behind that its queue is full is
// dropped, and Dropped is closed so its handler can say why and hang up.
// Memory per client is bounded by the queue, and one slow reader cannot
// delay the others.
type Subscriber struct {
	// Events delivers every event published after Subscribe, in order.
	Events <-chan Event
	// Dropped is closed when the subscriber fell behind and was removed.
	Dropped <-chan struct{}

	queue   chan Event
	dropped chan struct{}
}

// offer queues e without blocking. It reports false, and marks the
// subscriber dropped, when the queue is full. The Log's lock is held.
func (s *Subscriber) offer(e Event) bool {
	select {
	case s.queue <- e:
		return true
	default:
		close(s.dropped)
		return false
	}
}

// ANCHOR_END: subscriber

// ANCHOR: subscribe
// Subscribe registers a subscriber with a queue of queueSize events and
// returns it with the id of the newest event at that moment. Both are taken
// under one lock, so the ring and the queue meet exactly: events up to last
// are read from the ring (with Read, a bounded page at a time, so that a
// client far behind costs no more than one page), the events after last
// arrive in the queue, and none is in both or falls between them.
func (l *Log) Subscribe(queueSize int) (s *Subscriber, last int64) {
	q := make(chan Event, max(queueSize, 1))
	d := make(chan struct{})
	s = &Subscriber{Events: q, Dropped: d, queue: q, dropped: d}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subs[s] = struct{}{}
	return s, l.last
}

// ANCHOR_END: subscribe

// Unsubscribe removes s; its queue gets no more events. It is safe to call
// more than once, and after s was dropped.
func (l *Log) Unsubscribe(s *Subscriber) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.subs, s)
}

// Subscribers returns how many subscribers are registered.
func (l *Log) Subscribers() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.subs)
}
