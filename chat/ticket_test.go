package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/chat/login"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// handshake sends a WebSocket handshake for /ws?query by hand to the
// chat at base and returns the answer and the client's address as the
// server saw it (what its log line names).
func handshake(t *testing.T, base, query string) (resp *http.Response, body, remote string) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	path := "/ws"
	if query != "" {
		path += "?" + query
	}
	c, resp := webtest.RequestRaw(t, host, "GET "+path+" HTTP/1.1\r\nHost: "+host+
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusSwitchingProtocols {
		require.NoError(t, err)
	}
	return resp, string(data), c.LocalAddr().String()
}

// ticketAt gets a ticket from the chat at base in a new session.
func ticketAt(t *testing.T, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioWait)
	defer cancel()
	tk, err := login.Ticket(ctx, login.Client(nil), base, nil)
	require.NoError(t, err)
	return tk
}

// ANCHOR: refusals

// TestTicketRefusals: a handshake without a good ticket is answered 401
// before the upgrade, says why, and is logged (without the ticket); a
// ticket works once, on whichever process redeems it first.
func TestTicketRefusals(t *testing.T) {
	log := webtest.CaptureLog(t)
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)
	used := ticketAt(t, a.URL)
	// dial adds a ticket of its own after this one; the first one counts.
	c := dial(t, login.WithTicket(a.WS(), used))
	c.conn.Close()
	usedAcross := ticketAt(t, a.URL)
	resp, _, _ := handshake(t, b.URL, "ticket="+usedAcross) // asked of A, redeemed on B
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode,
		"a ticket of A opens a socket on B")

	const unknown, bad = "unknown or already used", "not a ticket"
	cases := []struct {
		name   string
		base   string
		ticket string
		want   string
	}{
		{"no ticket", a.URL, "", "no ticket"},
		{"an empty ticket", a.URL, "ticket=", "no ticket"},
		{"garbage", a.URL, "ticket=hello", bad},
		{"43 bytes, not base64url", a.URL, "ticket=" + strings.Repeat("%21", 43), bad},
		{"12 KiB of ticket", a.URL, "ticket=" + strings.Repeat("A", 12<<10), bad},
		{"well formed, never issued", a.URL, "ticket=" + token(ticketBytes), unknown},
		{"replayed on the same process", a.URL, "ticket=" + used, unknown},
		{"replayed on the other process", b.URL, "ticket=" + used, unknown},
		{"replayed where it was issued", a.URL, "ticket=" + usedAcross, unknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body, remote := handshake(t, tc.base, tc.ticket)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Upgrade"), "no upgrade")
			assert.Equal(t, `Ticket realm="chat"`, resp.Header.Get("WWW-Authenticate"))
			assert.Contains(t, body, tc.want)
			line := log.WaitFor(t, remote)[0]
			assert.Equal(t, "refused", line["msg"])
			assert.EqualValues(t, http.StatusUnauthorized, line["status"])
			assert.Equal(t, "/ws", line["path"])
			assert.NotContains(t, line, "ticket", "the log keeps no ticket")
			assert.Contains(t, line["reason"], tc.want)
		})
	}
}

// ANCHOR_END: refusals

// TestNotAHandshakeKeepsTheTicket: a plain GET /ws?ticket=T, which is no
// handshake, gets gorilla's 400 and does not use the ticket up.
func TestNotAHandshakeKeepsTheTicket(t *testing.T) {
	s := startChat(t, startNATS(t))
	tk := ticketAt(t, s.URL)
	resp := get(t, strings.Replace(login.WithTicket(s.WS(), tk), "ws://", "http://", 1))
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _, _ = handshake(t, s.URL, "ticket="+tk)
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
}

// ANCHOR: concurrent

// TestConcurrentRedeem: one ticket, sixteen handshakes at once, half on
// each of two processes: exactly one is upgraded, the others get 401. Ten
// rounds, so that a redeem that was not compare-and-delete would be
// caught letting two in. On one NATS server, and on a cluster of three
// with the buckets on all three, where the stream's leader decides each
// compare-and-delete after its replicas agree, and a lost race comes back
// with another error code (10164, not 10071): both must end in one 101.
func TestConcurrentRedeem(t *testing.T) {
	cases := []struct {
		name     string
		nats     func(t *testing.T) string
		replicas string
	}{
		{"one NATS server", func(t *testing.T) string { return startNATS(t) }, "1"},
		{"a cluster of three", func(t *testing.T) string {
			return startCluster(t).url()
		}, "3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nats := tc.nats(t)
			a := startChat(t, nats, "-replicas", tc.replicas)
			b := startChat(t, nats, "-replicas", tc.replicas)
			for round := range 10 {
				statuses := redeemAtOnce(t, ticketAt(t, a.URL), 16, a.WS(), b.WS())
				require.Equal(t, map[int]int{http.StatusSwitchingProtocols: 1,
					http.StatusUnauthorized: 15}, statuses, "round %d", round)
			}
		})
	}
}

// redeemAtOnce sends n handshakes with ticket tk at once, in turn to
// each of the sockets in ws, and counts their answers by status.
func redeemAtOnce(t *testing.T, tk string, n int, ws ...string) map[int]int {
	start := make(chan struct{})
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			d := websocket.Dialer{HandshakeTimeout: ioWait}
			conn, resp, err := d.Dial(login.WithTicket(ws[i%len(ws)], tk), nil)
			if err == nil {
				conn.Close()
			}
			if resp != nil {
				resp.Body.Close()
				statuses <- resp.StatusCode
			} else {
				statuses <- 0 // no answer at all: counted as neither
			}
		})
	}
	close(start)
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	return count
}

// ANCHOR_END: concurrent
