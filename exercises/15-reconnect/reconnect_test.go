package reconnect

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	base  = 100 * time.Millisecond
	limit = 10 * time.Second
)

// ceiling is the largest wait before retry n.
func ceiling(n int) time.Duration {
	c := base
	for range n {
		if c >= limit {
			break
		}
		c *= 2
	}
	return min(c, limit)
}

func seeded() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func TestBackoffStaysInItsBounds(t *testing.T) {
	r := seeded()
	for _, n := range []int{0, 1, 2, 5, 7, 10, 63, 64, 1000} {
		var largest time.Duration
		for range 200 {
			d := Backoff(n, base, limit, r)
			require.GreaterOrEqual(t, d, time.Duration(0), "retry %d: a wait is never negative (does base·2ⁿ overflow?)", n)
			require.LessOrEqual(t, d, ceiling(n), "full jitter: retry %d waits at most min(limit, base·2ⁿ) = %v", n, ceiling(n))
			largest = max(largest, d)
		}
		assert.Greater(t, largest, ceiling(n)/2, "retry %d: the waits spread up to min(limit, base·2ⁿ) = %v, the largest of 200 was %v", n, ceiling(n), largest)
	}
}

// TestBackoffIsJittered: clients that failed together must not retry
// together, or they fail together again (the thundering herd).
func TestBackoffIsJittered(t *testing.T) {
	r := seeded()
	seen := map[time.Duration]bool{}
	var sum time.Duration
	for range 100 {
		d := Backoff(3, base, limit, r)
		seen[d] = true
		sum += d
	}
	assert.Greater(t, len(seen), 50, "full jitter: 100 waits for the same retry are spread at random, not %d values", len(seen))
	mean := sum / 100
	assert.InDelta(t, float64(ceiling(3)/2), float64(mean), float64(ceiling(3)/5), "full jitter: uniform from 0 to the ceiling, so the mean is about half of %v", ceiling(3))
}

// server is a fake server of events 1..n for one test.
type server struct {
	t         *testing.T
	n         int  // events 1..n
	dropAfter int  // each stream drops after this many events (0: never)
	failDials int  // the first dials fail
	replay    bool // at-least-once: resume with the last event again
	cancel    context.CancelFunc

	mu    sync.Mutex
	dials []dialed
}

// dialed is one call of Dial: when, asking for what, and how it went.
type dialed struct {
	at     time.Time
	after  int
	failed bool
}

func (s *server) dial(ctx context.Context, after int) (Stream, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := dialed{at: time.Now(), after: after, failed: len(s.dials) < s.failDials}
	s.dials = append(s.dials, d)
	if len(s.dials) > 200 {
		s.t.Error("200 dials: the client never stops (or never waits)")
		s.cancel()
	}
	if d.failed {
		return nil, errors.New("connection refused")
	}
	next := after + 1
	if s.replay && after > 0 {
		next = after
	}
	return &stream{ctx: ctx, s: s, next: next}, nil
}

func (s *server) log() []dialed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]dialed(nil), s.dials...)
}

type stream struct {
	ctx       context.Context
	s         *server
	next, got int
}

func (st *stream) Next() (Event, error) {
	if st.s.dropAfter > 0 && st.got == st.s.dropAfter {
		return Event{}, errors.New("connection reset")
	}
	if st.next > st.s.n {
		<-st.ctx.Done() // nothing more: the connection stays open, idle
		return Event{}, st.ctx.Err()
	}
	e := Event{ID: st.next, Data: "event"}
	st.next++
	st.got++
	return e, nil
}

func (st *stream) Close() error { return nil }

// run runs a client against s until it has handled every event (or the
// server gives up on it), and returns the IDs it handled.
func run(t *testing.T, s *server) []int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.t, s.cancel = t, cancel
	c := &Client{Dial: s.dial, Base: base, Limit: limit, Rand: seeded()}
	var ids []int
	err := c.Run(ctx, func(e Event) {
		ids = append(ids, e.ID)
		if e.ID == s.n {
			cancel()
		}
	})
	assert.ErrorIs(t, err, context.Canceled, "Run returns the context's error when it ends")
	return ids
}

func upTo(n int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i + 1
	}
	return ids
}

// The tests of Run run in a synctest bubble: time is fake, so a client
// that backs off for seconds is tested at once, and its waits are
// measured exactly.

func TestRunDeliversEveryEventOnceAcrossDrops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &server{n: 20, dropAfter: 3, failDials: 2}
		assert.Equal(t, upTo(20), run(t, s), "step 3: through two refused dials and a drop every 3 events, every event once, in order")
	})
}

func TestRunResumesFromTheLastEvent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &server{n: 9, dropAfter: 3}
		run(t, s)
		var afters []int
		for _, d := range s.log() {
			afters = append(afters, d.after)
		}
		assert.Equal(t, []int{0, 3, 6}, afters,
			"step 3: each reconnect asks for the events after the last one handled (0 at first): nothing lost, nothing twice")
	})
}

// TestRunSkipsWhatIsSentAgain: an at-least-once server resends the last
// event on a reconnect; the client must not handle it twice.
func TestRunSkipsWhatIsSentAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &server{n: 10, dropAfter: 4, replay: true}
		assert.Equal(t, upTo(10), run(t, s), "step 4: an event with an ID at or below the last one handled was handled already: skip it")
	})
}

func TestRunBacksOffBetweenFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &server{n: 1, failDials: 8}
		run(t, s)
		dials := s.log()
		require.GreaterOrEqual(t, len(dials), 9, "the client retries until a dial succeeds")
		var total time.Duration
		for i := 1; i < 9; i++ {
			wait := dials[i].at.Sub(dials[i-1].at)
			assert.LessOrEqual(t, wait, ceiling(i-1), "step 2: failure %d in a row waits Backoff(%d) ≤ %v, waited %v", i, i-1, ceiling(i-1), wait)
			total += wait
		}
		assert.Greater(t, total, ceiling(7)/4, "step 2: after a failure the client waits Backoff(n) before it dials again; 8 failures cost %v in all", total)
	})
}

// TestRunResetsTheBackoffOnceEventsFlow: a connection that delivered an
// event was a success; the next failure is the first again.
func TestRunResetsTheBackoffOnceEventsFlow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &server{n: 12, dropAfter: 1}
		assert.Equal(t, upTo(12), run(t, s))
		dials := s.log()
		for i := 1; i < len(dials); i++ {
			wait := dials[i].at.Sub(dials[i-1].at)
			assert.LessOrEqual(t, wait, ceiling(0), "step 2: after a connection that delivered events, the next wait is the first retry's again (≤ %v); reconnect %d waited %v", ceiling(0), i, wait)
		}
	})
}

func TestRunStopsWhenTheContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		dials := 0
		var cancelled time.Time
		refuse := func(context.Context, int) (Stream, error) {
			dials++
			if dials == 3 { // end the context during the wait after the third failure
				time.AfterFunc(time.Millisecond, func() { cancelled = time.Now(); cancel() })
			}
			return nil, errors.New("connection refused")
		}
		c := &Client{Dial: refuse, Base: limit, Limit: limit, Rand: seeded()}
		err := c.Run(ctx, func(Event) {})
		returned := time.Now()
		assert.ErrorIs(t, err, context.Canceled, "step 5: Run returns the context's error")
		assert.Equal(t, 3, dials, "step 5: no dial after the context ends")
		assert.Equal(t, cancelled, returned, "step 5: Run returns as soon as the context ends, not at the end of its wait")
	})
}
