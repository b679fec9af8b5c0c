//go:build mutant && mutant_cancels_on_first_leave

// Mistake: the first leave cancels the broker subscription, cutting off the others.

package fanout

import "sync"

// Fanout shares one broker subscription per subject among the local
// subscribers (the WebSocket connections of this instance) to it.
type Fanout struct {
	broker Broker
	mu     sync.Mutex
	topics map[string]*topic
}

// topic is one subject's broker subscription and local subscribers.
type topic struct {
	cancel func()
	subs   map[chan string]struct{}
}

// New returns a Fanout over b.
func New(b Broker) *Fanout { return &Fanout{broker: b, topics: map[string]*topic{}} }

// Join adds a local subscriber to subject, with a queue of queue messages,
// and returns its channel and a leave function. A message for a
// subscriber whose queue is full is dropped, never waited for.
func (f *Fanout) Join(subject string, queue int) (messages <-chan string, leave func(), err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tp := f.topics[subject]
	if tp == nil {
		tp = &topic{subs: map[chan string]struct{}{}}
		cancel, err := f.broker.Subscribe(subject, func(msg string) { f.deliver(subject, msg) })
		if err != nil {
			return nil, nil, err
		}
		tp.cancel = cancel
		f.topics[subject] = tp
	}
	ch := make(chan string, queue)
	tp.subs[ch] = struct{}{}
	var once sync.Once
	return ch, func() { once.Do(func() { f.leave(subject, ch) }) }, nil
}

// deliver hands msg to every local subscriber of subject, without waiting.
func (f *Fanout) deliver(subject, msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if tp := f.topics[subject]; tp != nil {
		for ch := range tp.subs {
			select {
			case ch <- msg:
			default: // its queue is full: drop the message, not the broker
			}
		}
	}
}

// leave removes a subscriber; the last one out cancels the subscription.
func (f *Fanout) leave(subject string, ch chan string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tp := f.topics[subject]
	delete(tp.subs, ch)
	close(ch)
	tp.cancel()
	delete(f.topics, subject)
}
