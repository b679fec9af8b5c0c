package writers

import (
	"cmp"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/web/policy"
)

// defaultQueue is how many messages may wait for a slow client: the
// polling lab's queue size. A client further behind than that is evicted.
const defaultQueue = 256

// message is one message waiting in an outbox.
type message struct {
	kind int
	data []byte
}

// ANCHOR: outbox

// outbox is the queue in front of a connection's one writer. Any goroutine
// may offer to it, and none ever waits: when the queue is full the client
// is too slow, and it is evicted instead (evicted is closed, once). This is
// the fan-out rule of gorilla's chat hub and of the polling lab's
// Subscriber: memory per client is bounded, and one slow reader delays
// nobody else.
type outbox struct {
	queue   chan message
	evicted chan struct{}
	once    sync.Once
}

func newOutbox(size int) *outbox {
	return &outbox{queue: make(chan message, max(size, 1)), evicted: make(chan struct{})}
}

// offer queues m, or evicts the client if its queue is full. It reports
// whether m was queued.
func (o *outbox) offer(m message) bool {
	select {
	case <-o.evicted:
		return false
	default:
	}
	select {
	case o.queue <- m:
		return true
	default:
		o.once.Do(func() { close(o.evicted) })
		return false
	}
}

// ANCHOR_END: outbox

// Pump is Naive with one writer goroutine: the second fix, gorilla's chat
// pattern. The echo and the pushes offer their messages to an outbox; only
// the pump writes to the connection.
type Pump struct {
	// Push carries the messages the server sends on its own.
	Push <-chan []byte
	// Queue is how many messages may wait for the client (defaultQueue if
	// zero). A client whose queue is full is evicted with close 1008.
	Queue int
	// WriteWait bounds every write (writeWait if zero). A client that has
	// stopped reading is dropped after this long.
	WriteWait time.Duration
	// MaxMessage is the largest message read (maxMessage if zero). gorilla
	// refuses a bigger one with close 1009.
	MaxMessage int64
}

// maxMessage is the largest message a Pump reads unless told otherwise:
// 1 MiB, as every workbook server.
const maxMessage = 1 << 20

// ANCHOR: pump

// ServeHTTP upgrades, starts the reader and the pusher, and runs the
// connection's one writer until the reader ends, a write fails or the
// client is evicted. It returns only once all three goroutines are done.
func (h *Pump) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	wait := cmp.Or(h.WriteWait, writeWait)
	out := newOutbox(cmp.Or(h.Queue, defaultQueue))
	readerDone := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer conn.Close() // ends the reader's ReadMessage, before wg.Wait

	conn.SetReadLimit(cmp.Or(h.MaxMessage, maxMessage))
	wg.Go(func() { // the one reader: echoes go to the outbox
		defer close(readerDone)
		for {
			kind, msg, err := conn.ReadMessage()
			if errors.Is(err, websocket.ErrReadLimit) {
				// gorilla has sent close 1009. Closing now, with the rest of
				// the message unread, would answer with a TCP reset, which
				// can destroy that close frame: half-close and drain first.
				policy.Drain(conn.UnderlyingConn())
				return
			}
			if err != nil || !out.offer(message{kind, msg}) {
				return
			}
		}
	})
	wg.Go(func() { // the pushes go to the outbox too
		for {
			select {
			case msg := <-h.Push:
				if !out.offer(message{websocket.TextMessage, msg}) {
					return
				}
			case <-readerDone:
				return
			}
		}
	})
	for { // the one writer
		select {
		case m := <-out.queue:
			conn.SetWriteDeadline(time.Now().Add(wait))
			if err := conn.WriteMessage(m.kind, m.data); err != nil {
				return
			}
		case <-out.evicted:
			// RFC 6455 §7.4.1: 1008, a policy violation. The client is not
			// reading fast enough; if it reads at all, it learns why.
			bye := websocket.FormatCloseMessage(websocket.ClosePolicyViolation,
				"too slow: queue full")
			_ = conn.WriteControl(websocket.CloseMessage, bye, time.Now().Add(wait))
			return
		case <-readerDone:
			return
		}
	}
}

// ANCHOR_END: pump
