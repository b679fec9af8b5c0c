package longpoll

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPublishNumbersFromOne(t *testing.T) {
	l := NewLog()
	assert.Equal(t, 1, l.Publish("a"), "step 1: the first event's ID is 1")
	assert.Equal(t, 2, l.Publish("b"), "step 1: IDs increase by one")
}

func TestWaitReturnsWaitingEventsAtOnce(t *testing.T) {
	l := NewLog()
	l.Publish("a")
	l.Publish("b")
	l.Publish("c")
	got := l.Wait(context.Background(), 1)
	assert.Equal(t, []Event{{2, "b"}, {3, "c"}}, got,
		"RFC 6202 §2.2: a poll whose cursor is behind is answered at once, with every event after the cursor (here 1)")
}

// waitAsync runs Wait in a goroutine and returns a channel of its result.
func waitAsync(l *Log, ctx context.Context, since int) <-chan []Event {
	got := make(chan []Event, 1)
	go func() { got <- l.Wait(ctx, since) }()
	return got
}

// The tests below run in a synctest bubble: synctest.Wait returns once
// every goroutine of the test is blocked, so "the waiters are waiting" and
// "everyone woken has returned" are facts, not guesses with sleeps. Time is
// fake in a bubble: a wait that would hang ends the test at once.

func TestWaitWakesOnPublish(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLog()
		got := waitAsync(l, context.Background(), 0)
		synctest.Wait() // the poll is held
		select {
		case events := <-got:
			t.Fatalf("step 3: with no event after the cursor, Wait must wait; it returned %v at once", events)
		default:
		}
		l.Publish("news")
		synctest.Wait()
		select {
		case events := <-got:
			assert.Equal(t, []Event{{1, "news"}}, events, "RFC 6202 §2.2: the held poll is answered with the new event")
		default:
			t.Fatal("RFC 6202 §2.2: a held poll is answered when an event arrives; Wait did not return after Publish")
		}
	})
}

// TestEveryWaiterWakes: every client holding a poll gets the event, not
// just one of them.
func TestEveryWaiterWakes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLog()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		const waiters = 3
		results := make([]<-chan []Event, waiters)
		for i := range results {
			results[i] = waitAsync(l, ctx, 0)
		}
		synctest.Wait() // all three polls are held
		l.Publish("news")
		synctest.Wait() // everyone woken has returned
		for i, got := range results {
			select {
			case events := <-got:
				assert.Equal(t, []Event{{1, "news"}}, events, "waiter %d", i+1)
			default:
				t.Errorf("RFC 6202 §2.2: every held poll is answered; waiter %d of %d was never woken", i+1, waiters)
			}
		}
	})
}

func TestWaitGivesUpWhenTheContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLog()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		defer l.Publish("wake any waiter left") // so a Wait that ignored ctx ends, and the bubble with it
		start := time.Now()
		got := waitAsync(l, ctx, 0)
		select {
		case events := <-got:
			assert.Nil(t, events, "step 4: with no event, Wait returns nil when the context ends")
			assert.Equal(t, 20*time.Millisecond, time.Since(start),
				"step 3: Wait must wait until there is an event or the context is done, not return at once")
		case <-time.After(time.Hour):
			t.Fatal("RFC 6202 §5.5: a held poll must end when the client goes (its context is done); Wait ignored the context")
		}
	})
}

// TestNoEventIsLost: pollers keep cursors while several publishers race;
// each must see every event exactly once, in order. Run it with -race.
func TestNoEventIsLost(t *testing.T) {
	l := NewLog()
	const publishers, each, pollers = 4, 50, 2
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				l.Publish(fmt.Sprintf("%d-%d", p, i))
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var polls sync.WaitGroup
	for range pollers {
		polls.Go(func() {
			cursor := 0
			for cursor < publishers*each {
				events := l.Wait(ctx, cursor)
				if !assert.NotEmpty(t, events, "timed out at cursor %d", cursor) {
					return
				}
				for _, e := range events {
					if !assert.Equal(t, cursor+1, e.ID, "RFC 6202 §2.2 with a cursor: events come once each, in order, none lost") {
						return
					}
					cursor = e.ID
				}
			}
		})
	}
	polls.Wait()
	wg.Wait()
}
