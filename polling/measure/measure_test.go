package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/polling/wire"
)

// small is a quick measurement: 5 clients each, 5 events at 50 per second.
var small = config{clients: 5, events: 5, rate: 50, interval: 20 * time.Millisecond,
	idle: 80 * time.Millisecond, longPoll: 30 * time.Second, ping: 30 * time.Second, beat: 15 * time.Second}

// ANCHOR: invariants
// TestMeasurementInvariants checks what the chapter claims from the table,
// never a timing: every transport delivers every event exactly once, and
// WebSocket and Server-Sent Events cost a small fraction of short
// polling's bytes per event and per idle minute.
func TestMeasurementInvariants(t *testing.T) {
	rows, err := measure(small)
	require.NoError(t, err)
	by := map[wire.Transport]row{}
	for _, r := range rows {
		assert.Empty(t, r.faults, "%s: gaps or repeats", r.transport)
		assert.Equal(t, int64(small.clients*small.events), r.delivered, "%s", r.transport)
		by[r.transport] = r
	}
	poll, long, sse, ws := by[wire.Poll], by[wire.LongPoll], by[wire.SSE], by[wire.WS]
	assert.Less(t, bytesPerEvent(ws)*5, bytesPerEvent(poll),
		"WebSocket bytes per event must be far below short polling's")
	assert.Less(t, bytesPerEvent(ws)*5, bytesPerEvent(long), "and below long polling's")
	assert.Zero(t, ws.cost.Requests, "WebSocket makes no request after its handshake")
	assert.GreaterOrEqual(t, long.cost.Requests, long.delivered/int64(small.clients),
		"a long poll answers at least once per event batch")
	assert.Less(t, ws.idleMin*10, poll.idleMin,
		"an idle WebSocket costs far less than idle polling")
	assert.Greater(t, ws.connect, 300.0,
		"a handshake with browser headers is hundreds of bytes")
	assert.Less(t, bytesPerEvent(sse)*5, bytesPerEvent(poll),
		"SSE bytes per event must be far below short polling's")
	assert.Zero(t, sse.cost.Requests, "an event stream makes no request after its first")
	assert.Less(t, sse.idleMin*10, poll.idleMin,
		"an idle event stream costs far less than idle polling")
	assert.Greater(t, sse.connect, 300.0,
		"one GET with browser headers is hundreds of bytes")
}

// ANCHOR_END: invariants

// TestReport: the command prints both tables, and the committed
// results.md is the output of this version of the report.
func TestReport(t *testing.T) {
	var out, errs bytes.Buffer
	require.NoError(t, run([]string{"-clients", "3", "-events", "3", "-rate", "100", "-interval", "10ms", "-idle", "40ms"}, &out, &errs), errs.String())
	for _, want := range []string{measuredHeader, "| short polling | 9 of 9 |", "| 100,000 |", "Mbit/s"} {
		assert.Contains(t, out.String(), want)
	}
	committed, err := os.ReadFile("results.md")
	require.NoError(t, err)
	assert.Contains(t, string(committed), measuredHeader, "results.md is out of date: go run ./polling/measure > polling/measure/results.md")
	assert.Equal(t, strings.Count(out.String(), "\n|"), strings.Count(string(committed), "\n|"), "results.md has a different number of table lines")
}

// TestBadFlags: nonsense is refused with an error, not a hang.
func TestBadFlags(t *testing.T) {
	cases := map[string][]string{
		"no clients":    {"-clients", "0"},
		"no rate":       {"-rate", "0"},
		"unknown flag":  {"-nope"},
		"tiny idle":     {"-idle", "1ns"},
		"zero interval": {"-interval", "0s"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, run(args, new(bytes.Buffer), new(bytes.Buffer)))
		})
	}
}
