//go:build mutant && mutant_resume_from_zero

// Mistake: every reconnect asks for the stream from the start.

package reconnect

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff returns how long to wait before retry n (0 for the first retry
// after a failure): a random duration from 0 to min(limit, base·2ⁿ),
// "full jitter".
func Backoff(n int, base, limit time.Duration, r *rand.Rand) time.Duration {
	ceiling := base
	for range n {
		if ceiling >= limit {
			break // doubling on would overflow long before n = 64
		}
		ceiling *= 2
	}
	ceiling = min(ceiling, limit)
	return time.Duration(r.Int64N(int64(ceiling) + 1))
}

// Client delivers a server's events across dropped connections.
type Client struct {
	Dial  Dial
	Base  time.Duration // the ceiling of the first retry's wait
	Limit time.Duration // the largest ceiling
	Rand  *rand.Rand    // the jitter's source
}

// Run delivers every event to handle exactly once, in order, reconnecting
// after each failure (a Dial error or a dropped stream) after a Backoff,
// until ctx ends; then it returns ctx's error.
func (c *Client) Run(ctx context.Context, handle func(Event)) error {
	last := 0     // the ID of the last event handled: where to resume
	failures := 0 // in a row, since the last event
	for {
		if s, err := c.Dial(ctx, 0); err == nil {
			for {
				e, err := s.Next()
				if err != nil {
					break
				}
				if e.ID <= last {
					continue // sent again after a reconnect: handled already
				}
				handle(e)
				last = e.ID
				failures = 0
			}
			s.Close()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := time.NewTimer(Backoff(failures, c.Base, c.Limit, c.Rand))
		failures++
		select {
		case <-ctx.Done():
			wait.Stop()
			return ctx.Err()
		case <-wait.C:
		}
	}
}
