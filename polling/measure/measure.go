package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/websocket-in-go/workbook/polling/wire"
)

// config is what one measurement does; see the flags in main.go.
type config struct {
	clients  int           // simulated clients per transport
	events   int           // events published
	rate     float64       // events per second
	interval time.Duration // short polling: time between polls
	idle     time.Duration // length of the idle window
	longPoll time.Duration // long-poll timeout, as deployed
	ping     time.Duration // WebSocket ping period, as deployed
	beat     time.Duration // event-stream heartbeat period, as deployed
}

// row is one transport's line in the results.
type row struct {
	transport wire.Transport
	expected  int64         // clients × events
	delivered int64         // events received, all clients together
	faults    []string      // gaps or repeats (must be none)
	cost      wire.Totals   // requests and bytes once connected, while events flowed
	connect   float64       // bytes per client to connect (WebSocket: the handshake; SSE: the GET and its headers)
	mean, p99 time.Duration // publish-to-receive latency
	perIdle   float64       // bytes of one idle exchange (empty poll, ping + pong, heartbeat)
	idleMin   float64       // idle bytes per client per minute, as deployed
}

// transports are the four rows, in order.
var transports = []wire.Transport{wire.Poll, wire.LongPoll, wire.SSE, wire.WS}

// crowd is N clients of each transport against one server.
type crowd struct {
	srv    *labServer
	tally  map[wire.Transport]*tally
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
}

// startCrowd starts cfg.clients clients of each transport against srv and
// waits until every one of them has made its first request.
func startCrowd(srv *labServer, cfg config) (*crowd, error) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &crowd{srv: srv, cancel: cancel, tally: map[wire.Transport]*tally{}}
	for _, t := range transports {
		c.tally[t] = new(tally)
	}
	// One connection pool per transport, as big as the crowd: each
	// simulated tab keeps its own keep-alive connection.
	pool := func() *http.Client {
		return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients}}
	}
	pollClient, longClient, sseClient := pool(), pool(), pool()
	for range cfg.clients {
		c.goClient(ctx, func() error { return poller(ctx, pollClient, srv.url, "/poll", cfg.interval, c.tally[wire.Poll]) })
		c.goClient(ctx, func() error { return poller(ctx, longClient, srv.url, "/longpoll", 0, c.tally[wire.LongPoll]) })
		c.goClient(ctx, func() error { return eventSource(ctx, sseClient, srv.url, c.tally[wire.SSE]) })
		c.goClient(ctx, func() error { return subscriber(ctx, srv.url, c.tally[wire.WS]) })
	}
	ready := func() bool {
		s := srv.meter.Snapshot()
		return srv.log.Subscribers() == 2*cfg.clients && c.tally[wire.SSE].opened.Load() == int64(cfg.clients) &&
			s[wire.Poll].Requests >= int64(cfg.clients) && s[wire.LongPoll].Requests >= int64(cfg.clients)
	}
	if err := c.until(ready, 10*time.Second); err != nil {
		c.stop()
		return nil, fmt.Errorf("clients did not connect: %w", err)
	}
	return c, nil
}

func (c *crowd) goClient(ctx context.Context, f func() error) {
	c.wg.Go(func() {
		if err := f(); err != nil && ctx.Err() == nil {
			c.mu.Lock()
			c.errs = append(c.errs, err)
			c.mu.Unlock()
		}
	})
}

// until checks cond every millisecond until it holds, a client fails, or
// the time is up.
func (c *crowd) until(cond func() bool, limit time.Duration) error {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(limit)
	for !cond() {
		if err := c.err(); err != nil {
			return err
		}
		select {
		case <-tick.C:
		case <-deadline:
			return errors.New("timed out")
		}
	}
	return nil
}

func (c *crowd) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return errors.Join(c.errs...)
}

// stop ends every client and the server.
func (c *crowd) stop() {
	c.cancel()
	c.srv.stop()
	c.wg.Wait()
}

// ANCHOR: measure
// measure runs the two experiments and returns one row per transport.
//
// Events: a fresh server, the crowd connects (the bytes so far are the
// cost of connecting: for WebSocket the handshake, for SSE the one GET and
// its answer's headers), cfg.events events are
// published at cfg.rate, and the bytes are read again when every client has
// every event. Idle: another server whose
// long-poll timeout, ping and heartbeat periods are a quarter of the idle
// window, so that the window holds whole idle exchanges; their measured
// size is then scaled to the deployed timers (cfg.interval, cfg.longPoll,
// cfg.ping, cfg.beat).
func measure(cfg config) ([]row, error) {
	rows, err := measureEvents(cfg)
	if err != nil {
		return nil, err
	}
	if err := measureIdle(cfg, rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// ANCHOR_END: measure

func measureEvents(cfg config) ([]row, error) {
	srv, err := startServer(cfg.longPoll, cfg.ping, cfg.beat)
	if err != nil {
		return nil, err
	}
	c, err := startCrowd(srv, cfg)
	if err != nil {
		return nil, err
	}
	defer c.stop()
	ready := srv.meter.Snapshot()
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
	for i := range cfg.events {
		if i > 0 {
			<-tick.C
		}
		srv.log.Publish(fmt.Sprintf("event %d of %d", i+1, cfg.events))
	}
	tick.Stop()
	want := int64(cfg.clients * cfg.events)
	all := func() bool {
		for _, t := range transports {
			if c.tally[t].count() < want {
				return false
			}
		}
		return true
	}
	if err := c.until(all, cfg.interval+10*time.Second); err != nil {
		return nil, fmt.Errorf("not every event arrived: %w", err)
	}
	cost := srv.meter.Snapshot()
	rows := make([]row, 0, len(transports))
	for _, t := range transports {
		tl := c.tally[t]
		mean, p99 := tl.latency()
		steady := wire.Totals{
			Requests: cost[t].Requests - ready[t].Requests,
			BytesIn:  cost[t].BytesIn - ready[t].BytesIn,
			BytesOut: cost[t].BytesOut - ready[t].BytesOut,
		}
		rows = append(rows, row{transport: t, expected: want, delivered: tl.count(), faults: tl.faults,
			cost: steady, connect: float64(ready[t].Bytes()) / float64(cfg.clients), mean: mean, p99: p99})
	}
	return rows, nil
}

func measureIdle(cfg config, rows []row) error {
	cycle := cfg.idle / 4
	srv, err := startServer(cycle, cycle, cycle)
	if err != nil {
		return err
	}
	c, err := startCrowd(srv, cfg)
	if err != nil {
		return err
	}
	defer c.stop()
	before, pings, beats := srv.meter.Snapshot(), c.tally[wire.WS].pings.Load(), c.tally[wire.SSE].pings.Load()
	<-time.After(cfg.idle) // the measurement window itself
	after, pings, beats := srv.meter.Snapshot(), c.tally[wire.WS].pings.Load()-pings, c.tally[wire.SSE].pings.Load()-beats
	if pings == 0 || beats == 0 || after[wire.Poll].Requests == before[wire.Poll].Requests || after[wire.LongPoll].Requests == before[wire.LongPoll].Requests {
		return fmt.Errorf("the idle window of %s held no whole exchange: make -idle longer", cfg.idle)
	}
	for i := range rows {
		t := rows[i].transport
		bytes := float64(after[t].Bytes() - before[t].Bytes())
		switch t {
		case wire.Poll:
			rows[i].perIdle = bytes / float64(after[t].Requests-before[t].Requests)
			rows[i].idleMin = rows[i].perIdle * float64(time.Minute) / float64(cfg.interval)
		case wire.LongPoll:
			rows[i].perIdle = bytes / float64(after[t].Requests-before[t].Requests)
			rows[i].idleMin = rows[i].perIdle * float64(time.Minute) / float64(cfg.longPoll)
		case wire.SSE:
			rows[i].perIdle = bytes / float64(beats)
			rows[i].idleMin = rows[i].perIdle * float64(time.Minute) / float64(cfg.beat)
		case wire.WS:
			rows[i].perIdle = bytes / float64(pings)
			rows[i].idleMin = rows[i].perIdle * float64(time.Minute) / float64(cfg.ping)
		}
	}
	return nil
}
