//go:build !solution && !mutant

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
	return 0 // TODO
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
	return nil // TODO
}
