package events

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiver is one client of one transport: it collects events from
// cursor 0 until it has want of them.
type receiver func(t *testing.T, base string, want int) []Event

func pollUntil(path string) receiver {
	return func(t *testing.T, base string, want int) []Event {
		c := &http.Client{Timeout: ioTimeout}
		var got []Event
		since := int64(0)
		deadline := time.Now().Add(ioTimeout)
		for len(got) < want {
			require.True(t, time.Now().Before(deadline), "%s: only %d of %d events before the deadline", path, len(got), want)
			for _, e := range getEvents(t, c, base+path+"?since="+strconv.FormatInt(since, 10)) {
				got = append(got, e)
				since = e.ID
			}
		}
		return got
	}
}

func webSocketUntil(t *testing.T, base string, want int) []Event {
	c := dial(t, wsURL(base, 0), nil)
	var got []Event
	require.NoError(t, c.SetReadDeadline(time.Now().Add(ioTimeout)))
	for len(got) < want {
		var e Event
		require.NoError(t, c.ReadJSON(&e), "after %d of %d events", len(got), want)
		got = append(got, e)
	}
	return got
}

// ANCHOR: exactly_once
// TestExactlyOnceInOrder has four publishers race while a client of each
// transport reads: every transport must see ids 1, 2, 3, … with no gap and
// no repeat, and every published text exactly once.
func TestExactlyOnceInOrder(t *testing.T) {
	const publishers, each = 4, 50
	transports := []struct {
		name    string
		receive receiver
	}{
		{"short polling", pollUntil("/poll")},
		{"long polling", pollUntil("/longpoll")},
		{"WebSocket", webSocketUntil},
	}
	for _, tc := range transports {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, &Handlers{Log: NewLog(0)})
			errs := make(chan error, publishers*each)
			var wg sync.WaitGroup
			for p := range publishers {
				wg.Go(func() {
					for i := range each {
						errs <- post(srv.URL, fmt.Sprintf("publisher %d event %d", p, i))
					}
				})
			}
			events := tc.receive(t, srv.URL, publishers*each)
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}

			seen := make(map[string]int)
			for i, e := range events {
				require.Equal(t, int64(i+1), e.ID, "event %d out of order", i)
				seen[e.Data]++
			}
			for p := range publishers {
				for i := range each {
					assert.Equal(t, 1, seen[fmt.Sprintf("publisher %d event %d", p, i)], "publisher %d event %d", p, i)
				}
			}
		})
	}
}

// ANCHOR_END: exactly_once
