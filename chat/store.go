package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ANCHOR: buckets

// The two key-value buckets every chat process shares, on the same NATS
// as the rooms: a session made by one process is good on all of them, and
// a ticket asked of one can be redeemed, once, on any.
const (
	sessionBucket = "CHAT_SESSIONS"
	ticketBucket  = "CHAT_TICKETS"

	// sessionTTL is how long an anonymous session lasts: the bucket drops
	// a session this long after it was made.
	sessionTTL = 24 * time.Hour

	// maxSessionBytes and maxTicketBytes bound what a flood of GET / or
	// POST /ticket can make NATS store. A full bucket refuses the next
	// write, and the chat answers 503 instead of growing. A ticket takes
	// about 230 bytes (TestTicketFlood fits 36 in 8 KiB), so 8 MiB holds
	// some 37,000 tickets: more than enough for 30 seconds of honest use.
	maxSessionBytes = 64 << 20
	maxTicketBytes  = 8 << 20
)

// kvStream is the stream behind a key-value bucket, as nats.go's
// CreateKeyValue makes it (one value a key, deletes are markers, a full
// bucket refuses new writes) but for one field: AllowDirect is false. A
// direct get may be answered by any replica, and on a cluster a replica
// may not have the ticket that was stored a millisecond ago (NATS
// documents direct gets as not read-your-writes, nats-io/nats.docs#815;
// turning them off is the workaround, nats-io/nats-server#7281). Without
// direct gets, every read goes to the stream's leader, which has every
// write that was acknowledged.
func kvStream(
	bucket string, ttl time.Duration, maxBytes int64, replicas int,
) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              "KV_" + bucket,
		Subjects:          []string{"$KV." + bucket + ".>"},
		MaxMsgsPerSubject: 1,
		MaxAge:            ttl,
		MaxBytes:          maxBytes,
		MaxMsgs:           -1,
		MaxConsumers:      -1,
		Storage:           jetstream.FileStorage,
		Replicas:          replicas,
		AllowRollup:       true,
		DenyDelete:        true,
		Discard:           jetstream.DiscardNew,
		Duplicates:        min(ttl, 2*time.Minute),
		AllowDirect:       false,
	}
}

// ANCHOR_END: buckets

// limits are the buckets' sizes; tests make them small.
type limits struct {
	sessionBytes, ticketBytes int64
}

// defaultLimits are the sizes the chat runs with.
var defaultLimits = limits{sessionBytes: maxSessionBytes, ticketBytes: maxTicketBytes}

// openBuckets creates (or finds, as another process made them) the two
// buckets on js and binds to them. A cluster that has just started may
// still be placing streams: it tries for a while, as connect does.
func openBuckets(ctx context.Context, js jetstream.JetStream, replicas int, l limits) (sessions, tickets jetstream.KeyValue, err error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	open := func(bucket string, ttl time.Duration, maxBytes int64) (jetstream.KeyValue, error) {
		for {
			_, err := js.CreateOrUpdateStream(ctx, kvStream(bucket, ttl, maxBytes, replicas))
			if err == nil {
				return js.KeyValue(ctx, bucket)
			}
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("creating the key-value bucket %s: %w", bucket, err)
			case <-time.After(250 * time.Millisecond):
			}
		}
	}
	if sessions, err = open(sessionBucket, sessionTTL, l.sessionBytes); err != nil {
		return nil, nil, err
	}
	// A ticket's key outlives its use by at most twice its TTL: the
	// bucket's own expiry is a clean-up, the expiry in the value is the
	// rule (see redeem).
	if tickets, err = open(ticketBucket, 2*ticketTTL, l.ticketBytes); err != nil {
		return nil, nil, err
	}
	return sessions, tickets, nil
}
