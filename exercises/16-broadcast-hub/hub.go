//go:build !solution && !mutant

package hub

// Hub sends every published message to every subscriber.
type Hub struct {
	// TODO: your fields
}

// New returns a hub whose subscribers each have a queue of queue messages.
func New(queue int) *Hub { return &Hub{} }

// Subscribe adds a subscriber and returns its channel of messages. The hub
// closes the channel when the subscriber leaves, or when its queue is full
// and a message cannot be delivered: a slow subscriber is dropped, never
// waited for.
func (h *Hub) Subscribe() (messages <-chan string, leave func()) {
	return nil, func() {} // TODO
}

// Publish delivers msg to every subscriber without ever blocking.
func (h *Hub) Publish(msg string) {
	// TODO
}
