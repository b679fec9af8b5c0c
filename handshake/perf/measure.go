package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// results holds every measurement, by target name.
type results struct {
	names       []string
	rtt         map[string][]time.Duration   // every timed round trip
	roundRTT    map[string][]time.Duration   // the fastest round trip of each round
	blocks      map[string][][]time.Duration // every round's trips, sorted
	bulk        map[string][]float64         // MB/s of 64 KiB echoes, one per round
	throughput  map[string][]float64         // messages per second, one per round
	perCPU      map[string][]float64         // messages per second of CPU time, client and server, one per round
	serverCPU   map[string][]float64         // the server's CPU time per message, in µs, one per round
	idle        map[string]map[int]float64   // bytes of server RSS per idle connection, by count
	idleErr     map[string]map[int]string    // why a count could not be measured
	conformance map[string]map[conformance.Outcome]int
	took        time.Duration
}

func newResults(targets []*target) results {
	r := results{
		rtt: map[string][]time.Duration{}, roundRTT: map[string][]time.Duration{}, blocks: map[string][][]time.Duration{},
		bulk: map[string][]float64{}, throughput: map[string][]float64{}, perCPU: map[string][]float64{},
		serverCPU: map[string][]float64{},
		idle:      map[string]map[int]float64{}, idleErr: map[string]map[int]string{},
		conformance: map[string]map[conformance.Outcome]int{},
	}
	for _, t := range targets {
		r.names = append(r.names, t.name)
	}
	return r
}

// rotate returns targets starting at the round's own one, so that no
// server is always the one measured first or last in a round.
func rotate(targets []*target, round int) []*target {
	k := round % len(targets)
	return append(append([]*target(nil), targets[k:]...), targets[:k]...)
}

// ANCHOR: rounds

// measureAll runs the interleaved rounds, then the idle-memory steps, then
// the conformance suite.
//
// Latency and 64 KiB throughput use one connection per server, opened and
// warmed up once. A round is a short block on each server in turn (200
// round trips take about 6 ms), so whatever else the machine does during
// a round falls on every server nearly alike, and the round's ratio to raw
// TCP cancels it. Many short rounds, and the median of their ratios, are
// what make two runs agree; a few long rounds each catch a different burst
// of someone else's work.
func measureAll(cfg config, targets []*target) results {
	r := newResults(targets)
	conns := make(map[*target]client)
	for _, t := range targets {
		c, err := dial(t)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", t.name, err)
			continue
		}
		conns[t] = c
		if err := warmUp(c); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", t.name, err)
			conns[t] = nil
		}
	}
	for round := range cfg.rounds {
		if round%10 == 0 {
			fmt.Fprintf(os.Stderr, "latency and 64 KiB: round %d of %d\n", round+1, cfg.rounds)
		}
		// A collection now, not in the middle of someone's block.
		runtime.GC()
		for _, t := range rotate(targets, round) {
			if c := conns[t]; c != nil {
				trips := latency(t.name, c, cfg.trips)
				r.rtt[t.name] = append(r.rtt[t.name], trips...)
				if len(trips) > 0 {
					r.roundRTT[t.name] = append(r.roundRTT[t.name], slices.Min(trips))
				}
				r.blocks[t.name] = append(r.blocks[t.name], sortedCopy(trips))
			}
		}
		for _, t := range rotate(targets, round) {
			if c := conns[t]; c != nil && cfg.bulk > 0 {
				if mbs, ok := bulk(t.name, c, cfg.bulk); ok {
					r.bulk[t.name] = append(r.bulk[t.name], mbs)
				}
			}
		}
	}
	for _, c := range conns {
		if c != nil {
			c.close()
		}
	}
	for round := range cfg.tputRounds {
		fmt.Fprintf(os.Stderr, "throughput: round %d of %d\n", round+1, cfg.tputRounds)
		for _, t := range rotate(targets, round) {
			tp := throughput(t, cfg.conns, cfg.window)
			r.throughput[t.name] = append(r.throughput[t.name], tp.perSec)
			if tp.perCPU > 0 {
				r.perCPU[t.name] = append(r.perCPU[t.name], tp.perCPU)
				r.serverCPU[t.name] = append(r.serverCPU[t.name], tp.serverUS)
			}
		}
	}
	for _, t := range targets {
		idleSteps(&r, t, cfg.idle)
	}
	if cfg.conformance {
		for _, t := range targets[1:] {
			fmt.Fprintf(os.Stderr, "%s: conformance suite\n", t.name)
			counts := map[conformance.Outcome]int{}
			for _, res := range conformance.RunAll("ws://" + t.addr + "/ws") {
				counts[res.Outcome]++
			}
			r.conformance[t.name] = counts
		}
	}
	return r
}

// ANCHOR_END: rounds

// warmup is how many round trips open every connection, untimed: the
// first ones pay for faulting in code and buffers on both sides.
const warmup = 200

func warmUp(c client) error {
	for range warmup {
		if err := c.roundTrip(message); err != nil {
			return err
		}
	}
	for range 4 {
		if err := c.roundTrip(bulkMessage); err != nil {
			return err
		}
	}
	return nil
}

// latency times n round trips of the 32-byte message on c.
func latency(name string, c client, n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := c.roundTrip(message); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			break
		}
		out = append(out, time.Since(start))
	}
	return out
}

// bulk echoes n 64 KiB messages on c and returns the round's throughput
// in payload megabytes (10⁶ bytes) per second: of its fastest echo, for
// the reason the latency rounds use their fastest round trip.
func bulk(name string, c client, n int) (float64, bool) {
	fastest := time.Duration(math.MaxInt64)
	for range n {
		start := time.Now()
		if err := c.roundTrip(bulkMessage); err != nil {
			fmt.Fprintf(os.Stderr, "%s: 64 KiB: %v\n", name, err)
			return 0, false
		}
		fastest = min(fastest, time.Since(start))
	}
	return float64(len(bulkMessage)) / 1e6 / fastest.Seconds(), true
}

// rate is one throughput round of one server.
type rate struct {
	perSec   float64 // messages echoed per second
	perCPU   float64 // per second of CPU time, the client's and the server's (0: unknown)
	serverUS float64 // the server's CPU time per message, in µs (0: unknown)
}

// throughput runs conns connections doing round trips for window and
// returns the messages echoed per second, and per second of CPU time that
// the client and the server used. On a machine that other programs share,
// the first depends on how much of the CPU they left; the second does not.
// The server's share is reported on its own too: the client is the same
// by-hand Conn for every WebSocket server, and the raw TCP echo's client
// does no framing, so only the server's CPU per message says which server
// does less work.
func throughput(t *target, conns int, window time.Duration) rate {
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
	own0, server0, err0 := clientAndServerCPU(t.proc.PID())
	deadline := time.Now().Add(window)
	for _, c := range clients {
		wg.Go(func() {
			defer c.close()
			for time.Now().Before(deadline) {
				if c.roundTrip(message) != nil {
					return
				}
				count.Add(1)
			}
		})
	}
	wg.Wait()
	own1, server1, err1 := clientAndServerCPU(t.proc.PID())
	n := float64(count.Load())
	r := rate{perSec: n / window.Seconds()}
	cpu := (own1 - own0) + (server1 - server0)
	if err0 != nil || err1 != nil || cpu <= 0 || n == 0 {
		return r
	}
	r.perCPU = n / cpu.Seconds()
	r.serverUS = float64((server1 - server0).Nanoseconds()) / 1000 / n
	return r
}

// clientAndServerCPU is the CPU time of this process and of the server pid.
func clientAndServerCPU(pid int) (own, server time.Duration, err error) {
	if own, err = cpuTime(0); err != nil {
		return 0, 0, err
	}
	server, err = cpuTime(pid)
	return own, server, err
}

// idleSteps measures t's memory per idle connection at each count.
func idleSteps(r *results, t *target, counts []int) {
	r.idle[t.name], r.idleErr[t.name] = map[int]float64{}, map[int]string{}
	// One baseline per server, before any idle step: memory freed after
	// a step stays with the process and is reused by the next, so each
	// step is measured against the same starting point.
	base, err := rss(t.proc.PID())
	for _, n := range counts {
		if err != nil {
			r.idleErr[t.name][n] = err.Error()
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: %d idle connections\n", t.name, n)
		perConn, err := idleMemory(t, n, base)
		if err != nil {
			r.idleErr[t.name][n] = err.Error()
			continue
		}
		r.idle[t.name][n] = perConn
	}
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
		if err := c.roundTrip(message); err != nil {
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

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return quantile(s, 0.5)
}

// quantile interpolates linearly between the ranks of sorted.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(pos)
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (pos-float64(lo))*(sorted[hi]-sorted[lo])
}
