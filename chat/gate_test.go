package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// clock is a clock a test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newGate returns a gate on its own NATS server with the given bucket
// sizes, in the test's process.
func newGate(t *testing.T, l limits) *gate {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioWait)
	defer cancel()
	b, err := connect(ctx, startNATS(t), 1, historyPerRoom)
	require.NoError(t, err)
	t.Cleanup(b.close)
	sessions, tickets, err := openBuckets(ctx, b.js, 1, l)
	require.NoError(t, err)
	return &gate{sessions: sessions, tickets: tickets}
}

// ANCHOR: expiry-test

// TestTicketExpires: a ticket redeemed a nanosecond before its TTL is up
// opens the socket; one redeemed at the TTL is refused, and used up. The
// clock is the gate's, moved by the test: no waiting 30 seconds.
func TestTicketExpires(t *testing.T) {
	g := newGate(t, defaultLimits)
	c := &clock{now: time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)}
	g.now = c.Now
	ctx := context.Background()
	session, err := g.newSession(ctx)
	require.NoError(t, err)

	justInTime, err := g.issue(ctx, session)
	require.NoError(t, err)
	tooLate, err := g.issue(ctx, session)
	require.NoError(t, err)

	c.advance(ticketTTL - time.Nanosecond)
	got, err := g.redeem(ctx, justInTime)
	require.NoError(t, err)
	assert.Equal(t, session, got, "the ticket names its session")

	c.advance(time.Nanosecond)
	_, err = g.redeem(ctx, tooLate)
	require.ErrorIs(t, err, errExpiredTicket)
	_, err = g.redeem(ctx, tooLate)
	assert.ErrorIs(t, err, errUnknownTicket, "an expired ticket is used up too")
}

// ANCHOR_END: expiry-test

// TestTicketFlood: a session that asks for tickets without end fills the
// ticket bucket (here made 8 KiB) and is then answered 503, not stored:
// what NATS holds stays bounded by the bucket's size, and tickets already
// issued still work. New ones are refused for everyone until the bucket
// drops the flood's (2×ticketTTL): a real deployment rate-limits POST
// /ticket per session and per address long before.
func TestTicketFlood(t *testing.T) {
	webtest.CaptureLog(t) // 503s are logged: not on the test's terminal
	g := newGate(t, limits{sessionBytes: maxSessionBytes, ticketBytes: 8 << 10})
	session, err := g.newSession(context.Background())
	require.NoError(t, err)
	honest, err := g.issue(context.Background(), session) // asked before the flood
	require.NoError(t, err)
	srv := httptest.NewServer(g.ticket(&policy.Origins{}))
	defer srv.Close()

	statuses := map[int]int{}
	for range 500 {
		req, err := http.NewRequest(http.MethodPost, srv.URL, nil)
		require.NoError(t, err)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		statuses[resp.StatusCode]++
		if resp.StatusCode == http.StatusServiceUnavailable {
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		}
	}
	t.Logf("500 POST /ticket on an 8 KiB bucket: %v", statuses)
	assert.Positive(t, statuses[http.StatusOK], "tickets until the bucket is full")
	assert.Positive(t, statuses[http.StatusServiceUnavailable], "then 503")
	assert.Equal(t, 500, statuses[http.StatusOK]+statuses[http.StatusServiceUnavailable])

	ctx := context.Background()
	status, err := g.tickets.Status(ctx)
	require.NoError(t, err)
	assert.LessOrEqual(t, status.Bytes(), uint64(8<<10), "the bucket never holds more than its size")
	_, err = g.redeem(ctx, honest)
	assert.NoError(t, err, "a ticket issued before the flood still opens its socket: a delete fits a full bucket")
}
