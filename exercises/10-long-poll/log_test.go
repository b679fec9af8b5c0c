package longpoll

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPublishNumbersFromOne(t *testing.T) {
	l := NewLog()
	assert.Equal(t, 1, l.Publish("a"))
	assert.Equal(t, 2, l.Publish("b"))
}

func TestWaitReturnsWaitingEventsAtOnce(t *testing.T) {
	l := NewLog()
	l.Publish("a")
	l.Publish("b")
	l.Publish("c")
	got := l.Wait(context.Background(), 1)
	assert.Equal(t, []Event{{2, "b"}, {3, "c"}}, got)
}

func TestWaitWakesOnPublish(t *testing.T) {
	l := NewLog()
	got := make(chan []Event, 1)
	go func() { got <- l.Wait(context.Background(), 0) }()
	l.Publish("news")
	select {
	case events := <-got:
		assert.Equal(t, []Event{{1, "news"}}, events)
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after Publish")
	}
}

func TestWaitGivesUpWhenTheContextEnds(t *testing.T) {
	l := NewLog()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.Nil(t, l.Wait(ctx, 0))
	assert.Error(t, ctx.Err(), "Wait must wait until the context is done")
}

// TestNoEventIsLost: one poller keeps a cursor while several publishers
// race; it must see every event exactly once, in order.
func TestNoEventIsLost(t *testing.T) {
	l := NewLog()
	const publishers, each = 4, 50
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
	cursor := 0
	for cursor < publishers*each {
		events := l.Wait(ctx, cursor)
		require.NotEmpty(t, events, "timed out at cursor %d", cursor)
		for _, e := range events {
			require.Equal(t, cursor+1, e.ID, "events must come once each, in order")
			cursor = e.ID
		}
	}
	wg.Wait()
}
