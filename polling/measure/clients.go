package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/polling/events"
)

// tally collects what the clients of one transport received.
type tally struct {
	mu        sync.Mutex
	delivered int64
	faults    []string        // a gap or a repeat: must stay empty
	latencies []time.Duration // receive time minus publish time
	pings     atomic.Int64    // WebSocket pings, or SSE heartbeats, seen by clients
	opened    atomic.Int64    // event streams whose first block has arrived
}

// receive records one event for a client whose cursor was *since.
func (t *tally) receive(since *int64, e events.Event) {
	lat := time.Since(e.Time)
	t.mu.Lock()
	defer t.mu.Unlock()
	if e.ID != *since+1 {
		t.faults = append(t.faults, fmt.Sprintf("expected event %d, got %d", *since+1, e.ID))
	}
	*since = e.ID
	t.delivered++
	t.latencies = append(t.latencies, lat)
}

// ANCHOR: poller
// poller is one simulated browser tab polling path ("/poll" or
// "/longpoll") with Chrome's headers, waiting interval between requests
// (0 for long polling, which asks again at once). Its first wait is a
// random part of interval: tabs opened at different moments poll at
// different phases, so the crowd does not poll in step with the publisher.
func poller(ctx context.Context, client *http.Client, base, path string,
	interval time.Duration, t *tally) error {
	since := int64(0)
	wait := interval
	if interval > 0 {
		wait = rand.N(interval)
	}
	for {
		req, err := http.NewRequestWithContext(ctx, "GET",
			base+path+"?since="+strconv.FormatInt(since, 10), nil)
		if err != nil {
			return err
		}
		req.Header = fetchHeaders(base)
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil // the run is over
			}
			return err
		}
		var got []events.Event
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for _, e := range got {
			t.receive(&since, e)
		}
		if interval > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return nil
			}
			wait = interval
		}
	}
}

// ANCHOR_END: poller

// ANCHOR: subscriber
// subscriber is one simulated tab with a WebSocket: a handshake with
// Chrome's headers, then nothing but frames.
func subscriber(ctx context.Context, base string, t *tally) error {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, EnableCompression: true}
	url := "ws" + strings.TrimPrefix(base, "http") + "/ws?since=0"
	conn, resp, err := d.DialContext(ctx, url, handshakeHeaders(base))
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	resp.Body.Close()
	conn.SetPingHandler(func(data string) error {
		t.pings.Add(1)
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() { <-ctx.Done(); conn.Close() }()
	since := int64(0)
	for {
		var e events.Event
		if err := conn.ReadJSON(&e); err != nil {
			if ctx.Err() != nil {
				return nil // closed at the end of the run
			}
			return fmt.Errorf("WebSocket: %w", err) // e.g. dropped with 1008
		}
		t.receive(&since, e)
	}
}

// ANCHOR_END: subscriber

// ANCHOR: event_source
// eventSource is one simulated tab with an EventSource: one GET with
// Chrome's headers, then a stream of "id:"/"data:" blocks, read as the
// browser would, a line at a time. A comment line is a heartbeat.
func eventSource(ctx context.Context, client *http.Client, base string, t *tally) error {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/sse?since=0", nil)
	if err != nil {
		return err
	}
	req.Header = eventSourceHeaders(base)
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/sse: %s", resp.Status)
	}
	since := int64(0)
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		line := lines.Text()
		switch {
		case strings.HasPrefix(line, "retry: "):
			t.opened.Add(1) // the stream's first block: connected
		case strings.HasPrefix(line, ":"):
			t.pings.Add(1)
		case strings.HasPrefix(line, "data: "):
			var e events.Event
			if err := json.Unmarshal([]byte(line[len("data: "):]), &e); err != nil {
				return fmt.Errorf("/sse: %w", err)
			}
			t.receive(&since, e)
		}
	}
	if ctx.Err() != nil {
		return nil // closed at the end of the run
	}
	return fmt.Errorf("/sse: the stream ended: %v", lines.Err())
}

// ANCHOR_END: event_source

// count returns how many events were delivered so far.
func (t *tally) count() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.delivered
}

// latency returns the mean and the 99th percentile of the latencies.
func (t *tally) latency() (mean, p99 time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.latencies) == 0 {
		return 0, 0
	}
	sorted := slices.Clone(t.latencies)
	slices.Sort(sorted)
	var sum time.Duration
	for _, l := range sorted {
		sum += l
	}
	return sum / time.Duration(len(sorted)), sorted[(len(sorted)*99+99)/100-1]
}
