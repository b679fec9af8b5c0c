//go:build solution && !mutant

package hub

import "sync"

// Hub sends every published message to every subscriber.
type Hub struct {
	mu    sync.Mutex
	queue int
	subs  map[chan string]struct{}
}

// New returns a hub whose subscribers each have a queue of queue messages.
func New(queue int) *Hub { return &Hub{queue: queue, subs: map[chan string]struct{}{}} }

// Subscribe adds a subscriber and returns its channel of messages. The hub
// closes the channel when the subscriber leaves, or when its queue is full
// and a message cannot be delivered: a slow subscriber is dropped, never
// waited for.
func (h *Hub) Subscribe() (messages <-chan string, leave func()) {
	ch := make(chan string, h.queue)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() { h.drop(ch) }
}

// drop removes a subscriber and closes its channel, once.
func (h *Hub) drop(ch chan string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// Publish delivers msg to every subscriber without ever blocking.
func (h *Hub) Publish(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- msg:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}
