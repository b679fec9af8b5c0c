package fanout

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// broker is an in-memory Broker: Publish delivers to every subscription
// of the subject, each from its own goroutine, as a network broker's
// client library does.
type broker struct {
	mu   sync.Mutex
	next int
	subs map[string]map[int]func(string)
}

func newBroker() *broker { return &broker{subs: map[string]map[int]func(string){}} }

func (b *broker) Subscribe(subject string, deliver func(string)) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs[subject] == nil {
		b.subs[subject] = map[int]func(string){}
	}
	b.next++
	id := b.next
	b.subs[subject][id] = deliver
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs[subject], id)
	}, nil
}

// Publish sends msg to every subscription of subject and waits until each
// was delivered.
func (b *broker) Publish(subject, msg string) {
	b.mu.Lock()
	var wg sync.WaitGroup
	for _, deliver := range b.subs[subject] {
		wg.Go(func() { deliver(msg) })
	}
	b.mu.Unlock()
	wg.Wait()
}

// subscriptions is how many broker subscriptions subject has.
func (b *broker) subscriptions(subject string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs[subject])
}

// join joins f, failing the test on an error.
func join(t *testing.T, f *Fanout, subject string, queue int) (<-chan string, func()) {
	t.Helper()
	ch, leave, err := f.Join(subject, queue)
	require.NoError(t, err)
	require.NotNil(t, ch, "Join returns the subscriber's channel")
	require.NotNil(t, leave, "Join returns a leave function")
	return ch, leave
}

// drain returns what ch holds now, and whether it is closed.
func drain(ch <-chan string) (got []string, closed bool) {
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return got, true
			}
			got = append(got, m)
		default:
			return got, false
		}
	}
}

func TestEveryLocalSubscriberGetsEachMessageOnce(t *testing.T) {
	b := newBroker()
	f := New(b)
	a, leaveA := join(t, f, "room.1", 8)
	c, leaveC := join(t, f, "room.1", 8)
	defer leaveA()
	defer leaveC()
	assert.Equal(t, 1, b.subscriptions("room.1"), "step 1: one broker subscription per subject, however many local subscribers")
	b.Publish("room.1", "hello")
	b.Publish("room.1", "again")
	for name, ch := range map[string]<-chan string{"a": a, "c": c} {
		got, _ := drain(ch)
		assert.Equal(t, []string{"hello", "again"}, got, "step 2: each local subscriber (here %s) gets each message of its subject once", name)
	}
}

func TestSubjectsAreKeptApart(t *testing.T) {
	b := newBroker()
	f := New(b)
	one, leaveOne := join(t, f, "room.1", 8)
	two, leaveTwo := join(t, f, "room.2", 8)
	defer leaveOne()
	defer leaveTwo()
	b.Publish("room.1", "for one")
	gotOne, _ := drain(one)
	gotTwo, _ := drain(two)
	assert.Equal(t, []string{"for one"}, gotOne)
	assert.Empty(t, gotTwo, "step 2: a subscriber gets its own subject's messages only")
}

func TestTheLastLeaveCancelsTheSubscription(t *testing.T) {
	b := newBroker()
	f := New(b)
	a, leaveA := join(t, f, "room.1", 8)
	c, leaveC := join(t, f, "room.1", 8)
	leaveA()
	_, closed := drain(a)
	assert.True(t, closed, "step 3: leave closes the subscriber's channel")
	assert.Equal(t, 1, b.subscriptions("room.1"), "step 3: while one local subscriber is left, the broker subscription stays")
	b.Publish("room.1", "to c")
	got, _ := drain(c)
	assert.Equal(t, []string{"to c"}, got, "step 3: the others go on receiving")
	leaveC()
	assert.Zero(t, b.subscriptions("room.1"), "step 3: the last one to leave cancels the broker subscription, or the instance gets every message forever")
	assert.NotPanics(t, leaveC, "leaving twice is safe")

	again, leave := join(t, f, "room.1", 8)
	defer leave()
	assert.Equal(t, 1, b.subscriptions("room.1"), "step 3: joining again subscribes again")
	b.Publish("room.1", "back")
	got, _ = drain(again)
	assert.Equal(t, []string{"back"}, got)
}

// TestAFullQueueDropsTheMessageNotTheBroker runs in a synctest bubble,
// where a delivery that blocks is seen at once.
func TestAFullQueueDropsTheMessageNotTheBroker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBroker()
		f := New(b)
		slow, _ := join(t, f, "room.1", 1)
		fast, leave := join(t, f, "room.1", 8)
		published := make(chan struct{})
		go func() {
			for i := range 3 {
				b.Publish("room.1", fmt.Sprint(i))
			}
			close(published)
		}()
		synctest.Wait()
		select {
		case <-published:
		default:
			t.Fatal("step 4: a full queue must not block the delivery; the broker's goroutine is stuck on the slow subscriber")
		}
		got, _ := drain(fast)
		assert.Equal(t, []string{"0", "1", "2"}, got, "step 4: the others get every message")
		got, _ = drain(slow)
		assert.Equal(t, []string{"0"}, got, "step 4: the slow subscriber keeps what fit in its queue")
		leave()
	})
}

// TestSafeFromManyGoroutines: joins, leaves and deliveries at once. Run it
// with -race (go run ./check does).
func TestSafeFromManyGoroutines(t *testing.T) {
	b := newBroker()
	f := New(b)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			subject := fmt.Sprint("room.", i%2)
			for range 10 {
				ch, leave, err := f.Join(subject, 4)
				if err != nil || ch == nil || leave == nil {
					t.Error("Join returns a channel and a leave function")
					return
				}
				b.Publish(subject, "x")
				drain(ch)
				leave()
			}
		})
	}
	wg.Wait()
	assert.Zero(t, b.subscriptions("room.0")+b.subscriptions("room.1"), "everyone left, so no subscription is left")
}
