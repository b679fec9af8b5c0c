package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ANCHOR: ticket-constants

const (
	// ticketTTL is how long a ticket is good for: long enough for a page
	// to open its socket right after asking, short enough that a ticket
	// copied from a log is useless by the time anyone reads it.
	ticketTTL = 30 * time.Second

	// ticketBytes and sessionBytes are how much randomness a ticket (256
	// bits) and a session id (128 bits) carry, before base64url.
	ticketBytes  = 32
	sessionBytes = 16
)

// ANCHOR_END: ticket-constants

// The answers to a ticket that does not open the socket. Each is the body
// of a 401; none says more than the client already knows.
var (
	errNoTicket      = errors.New("no ticket: POST /ticket, then open /ws?ticket=TICKET")
	errNotATicket    = fmt.Errorf("not a ticket: a ticket is %d characters of base64url", base64.RawURLEncoding.EncodedLen(ticketBytes))
	errUnknownTicket = errors.New("unknown or already used ticket")
	errUsedTicket    = errors.New("ticket already used")
	errExpiredTicket = fmt.Errorf("ticket expired: a ticket lasts %v, POST /ticket for a fresh one", ticketTTL)
)

// ticketValue is what the ticket bucket holds under a ticket.
type ticketValue struct {
	Session string    `json:"session"`
	Expires time.Time `json:"expires"`
}

// gate is the chat's authentication: anonymous sessions and the
// single-use tickets they buy, both in buckets every process shares.
type gate struct {
	sessions jetstream.KeyValue
	tickets  jetstream.KeyValue
	// now is the clock (time.Now if nil); a test moves it to expire a
	// ticket without waiting for one to expire.
	now func() time.Time
}

func (g *gate) clock() time.Time {
	if g.now != nil {
		return g.now()
	}
	return time.Now()
}

// token returns n random bytes in base64url: what a session id and a
// ticket are, and what a NATS key may hold (letters, digits, - and _).
func token(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand's promise since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormed reports whether s could be a token of n bytes: exactly the
// length, only the alphabet. Anything else is refused without asking
// NATS, however long it is.
func wellFormed(s string, n int) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(n) {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// newSession starts an anonymous session and returns its id.
func (g *gate) newSession(ctx context.Context) (string, error) {
	id := token(sessionBytes)
	made := []byte(g.clock().UTC().Format(time.RFC3339))
	if _, err := g.sessions.Create(ctx, id, made); err != nil {
		return "", fmt.Errorf("storing the session: %w", err)
	}
	return id, nil
}

// validSession reports whether id is a session some chat process made
// (and the bucket has not yet dropped).
func (g *gate) validSession(ctx context.Context, id string) (bool, error) {
	if !wellFormed(id, sessionBytes) {
		return false, nil
	}
	_, err := g.sessions.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ANCHOR: issue

// issue stores a new ticket for session, good until ticketTTL from now.
func (g *gate) issue(ctx context.Context, session string) (string, error) {
	t := token(ticketBytes)
	v := ticketValue{Session: session, Expires: g.clock().Add(ticketTTL)}
	if _, err := g.tickets.Create(ctx, t, mustJSON(v)); err != nil {
		return "", fmt.Errorf("storing the ticket: %w", err)
	}
	return t, nil
}

// ANCHOR_END: issue

// ANCHOR: redeem

// redeem uses the ticket t up and returns its session. Get, then Delete
// only if the ticket is still the revision we read (LastRevision: NATS
// checks it and stores the delete as one step). Of two processes that
// read the ticket at once, one deletes it; the other's delete finds a
// newer revision (the first one's delete marker) and fails, so the
// ticket opens one socket, on one process. The error is one of the
// err*Ticket answers, or NATS's own if it could not be asked.
func (g *gate) redeem(ctx context.Context, t string) (session string, err error) {
	switch {
	case t == "":
		return "", errNoTicket
	case !wellFormed(t, ticketBytes):
		return "", errNotATicket
	}
	entry, err := g.tickets.Get(ctx, t)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", errUnknownTicket // never issued, used, or dropped by the bucket
	}
	if err != nil {
		return "", err
	}
	err = g.tickets.Delete(ctx, t, jetstream.LastRevision(entry.Revision()))
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return "", errUsedTicket // another redeem won
	}
	if err != nil {
		return "", err
	}
	var v ticketValue
	if err := json.Unmarshal(entry.Value(), &v); err != nil {
		return "", fmt.Errorf("ticket value %q: %w", entry.Value(), err)
	}
	// The bucket drops a ticket some time after 2×ticketTTL; the rule is
	// the expiry it was issued with.
	if !g.clock().Before(v.Expires) {
		return "", errExpiredTicket
	}
	return v.Session, nil
}

// ANCHOR_END: redeem
