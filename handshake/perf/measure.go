package main

import (
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// results holds every measurement, by target name.
type results struct {
	names      []string
	rtt        map[string][]time.Duration // every round trip
	roundRTT   map[string][]time.Duration // the median round trip of each round
	throughput map[string][]float64       // messages per second, one per round
	idle       map[string]map[int]float64 // bytes of server RSS per idle connection, by count
	idleErr    map[string]map[int]string  // why a count could not be measured
}

// measureAll runs the interleaved rounds, then the idle-memory steps.
func measureAll(cfg config, targets []*target) results {
	r := results{
		rtt: map[string][]time.Duration{}, roundRTT: map[string][]time.Duration{}, throughput: map[string][]float64{},
		idle: map[string]map[int]float64{}, idleErr: map[string]map[int]string{},
	}
	for _, t := range targets {
		r.names = append(r.names, t.name)
	}
	for round := range cfg.rounds {
		fmt.Fprintf(os.Stderr, "round %d of %d\n", round+1, cfg.rounds)
		// Each round starts with another server, so none is always the one
		// measured right after the others' connections were torn down.
		order := append(targets[round%len(targets):], targets[:round%len(targets)]...)
		for _, t := range order {
			trips := latency(t, cfg.trips)
			r.rtt[t.name] = append(r.rtt[t.name], trips...)
			r.roundRTT[t.name] = append(r.roundRTT[t.name], percentile(sortedCopy(trips), 50))
		}
		for _, t := range order {
			r.throughput[t.name] = append(r.throughput[t.name], throughput(t, cfg.conns, cfg.window))
		}
	}
	for _, t := range targets {
		r.idle[t.name], r.idleErr[t.name] = map[int]float64{}, map[int]string{}
		// One baseline per server, before any idle step: memory freed after
		// a step stays with the process and is reused by the next, so each
		// step is measured against the same starting point.
		base, err := rss(t.proc.PID())
		if err != nil {
			r.idleErr[t.name][0] = err.Error()
			continue
		}
		for _, n := range cfg.idle {
			fmt.Fprintf(os.Stderr, "%s: %d idle connections\n", t.name, n)
			perConn, err := idleMemory(t, n, base)
			if err != nil {
				r.idleErr[t.name][n] = err.Error()
				continue
			}
			r.idle[t.name][n] = perConn
		}
	}
	return r
}

// warmup is how many round trips each latency measurement discards.
const warmup = 50

// latency times n round trips on one fresh connection. Many short rounds
// on fresh connections, not one long one: on a small virtual machine, the
// cost of waking the other process depends on where the scheduler put the
// two threads, and one unlucky connection must not decide a median.
func latency(t *target, n int) []time.Duration {
	c, err := dial(t)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", t.name, err)
		return nil
	}
	defer c.close()
	// Warm up: the first round trips on a new connection pay for waking the
	// server's goroutine and its thread.
	for range warmup {
		if c.roundTrip() != nil {
			return nil
		}
	}
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := c.roundTrip(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", t.name, err)
			break
		}
		out = append(out, time.Since(start))
	}
	return out
}

// throughput runs conns connections doing round trips for window and
// returns the messages echoed per second.
func throughput(t *target, conns int, window time.Duration) float64 {
	clients := make([]client, 0, conns)
	for range conns {
		c, err := dial(t)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", t.name, err)
			break
		}
		clients = append(clients, c)
	}
	var count atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(window)
	for _, c := range clients {
		wg.Go(func() {
			defer c.close()
			for time.Now().Before(deadline) {
				if c.roundTrip() != nil {
					return
				}
				count.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(count.Load()) / window.Seconds()
}

// idleMemory opens n connections that then stay silent, and returns how
// much the server's resident memory grew per connection over base.
func idleMemory(t *target, n int, base int64) (float64, error) {
	clients := make([]client, 0, n)
	defer func() {
		for _, c := range clients {
			c.close()
		}
	}()
	for i := range n {
		c, err := dial(t)
		if err != nil {
			return 0, fmt.Errorf("connection %d of %d: %v", i+1, n, err)
		}
		// One round trip proves the server has taken the connection on.
		if err := c.roundTrip(); err != nil {
			return 0, err
		}
		clients = append(clients, c)
	}
	after, err := rss(t.proc.PID())
	if err != nil {
		return 0, err
	}
	return float64(after-base) / float64(n), nil
}

// percentile returns the p-th percentile (0–100) of sorted samples, by the
// nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func sortedCopy(d []time.Duration) []time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
