package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// measurer runs the measurement and collects its results.
type measurer struct {
	counts    []int
	perClient int
	probes    int
	settle    time.Duration
	limit     uint64
	points    []point
	walls     []wall
}

// ANCHOR: measure

// measure starts k's processes (the first on a free port, the others on
// the same one), then raises the connections held by client processes,
// each from its own loopback address, to each count in turn, and reads
// memory and times new connections at each. A single-process server stops
// below its open-file limit; asked for wallAt connections, it shows the
// limit.
func (m *measurer) measure(k kind, bin string, wallAt int) error {
	first, err := startServer(bin, "-addr", "127.0.0.1:0")
	if err != nil {
		return err
	}
	servers := []*server{first}
	var clients []*client
	defer func() {
		for _, c := range clients {
			c.stop()
		}
		for _, s := range servers {
			s.stop()
		}
	}()
	for range k.procs - 1 {
		s, err := startServer(bin, "-addr", first.addr())
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}
	fmt.Printf("%s: %d process(es) on %s\n", k.name, len(servers), first.addr())
	// A process's own descriptors (binary, epoll, listener, stdio) are in
	// its baseline; what it may still open is the rest of the limit.
	room := int(m.limit) - first.baseFDs - 16
	grow := func(total int) error {
		for len(clients)*m.perClient < total {
			c, err := startClient(fmt.Sprintf("127.0.0.%d", 2+len(clients)), first.addr())
			if err != nil {
				return err
			}
			clients = append(clients, c)
		}
		for i, c := range clients {
			want := total / len(clients)
			if i < total%len(clients) {
				want++
			}
			if want > c.held {
				if err := c.dial(want - c.held); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, n := range m.counts {
		if n > room*k.procs {
			fmt.Printf("%s: %d connections: over %d processes' file limit, skipped\n",
				k.name, n, k.procs)
			continue
		}
		start := time.Now()
		if err := grow(n); err != nil {
			return err
		}
		took := time.Since(start).Round(time.Millisecond)
		fmt.Printf("%s: %d connections open in %v\n", k.name, n, took)
		time.Sleep(m.settle) // a measurement's quiet time, not synchronisation
		p := point{server: k.name, procs: k.procs}
		for _, s := range servers {
			u, err := s.usage()
			if err != nil {
				return err
			}
			p.perProc = append(p.perProc, u)
			p.rss += u.rss
			p.conns += u.conns
		}
		if p.upgrade, p.echo, err = m.probe(first.addr()); err != nil {
			return err
		}
		p.load = loadAverage()
		// The medians; the table has the 99th percentiles too.
		fmt.Printf("%s: %d held, %.2f KiB each; a new one: upgrade %s ms, echo %s ms\n",
			k.name, p.conns, p.kib(), ms(p.upgrade.p50), ms(p.echo.p50))
		m.points = append(m.points, p)
	}
	if wallAt > 0 {
		wl := wall{server: k.name, asked: wallAt, limit: m.limit}
		if err := grow(wallAt); err != nil {
			wl.clientReport = err.Error()
		}
		for _, c := range clients {
			wl.clientsHeld += c.held
		}
		u, err := first.usage()
		if err != nil {
			return err
		}
		wl.held = int(u.conns)
		for line := range strings.Lines(first.stderr.String()) {
			if strings.Contains(line, "too many open files") {
				wl.logged = strings.TrimSpace(line)
				break
			}
		}
		fmt.Printf("%s: asked for %d, holds %d\n", k.name, wl.asked, wl.held)
		m.walls = append(m.walls, wl)
	}
	return nil
}

// ANCHOR_END: measure

// probe opens m.probes new connections one after another from a loopback
// address of its own, times each one's upgrade and first echo, and closes
// it.
func (m *measurer) probe(target string) (upgrade, echo latency, err error) {
	var ups, echoes []time.Duration
	for range m.probes {
		c, up, ec, err := open("127.0.0.250", target)
		if err != nil {
			return latency{}, latency{}, err
		}
		c.Close()
		ups = append(ups, up)
		echoes = append(echoes, ec)
	}
	return summarise(ups), summarise(echoes), nil
}

// loadAverage is the machine's load over the last minute: how many
// threads wanted a CPU, on average. On a shared machine it explains a tail
// of slow probes better than the server does.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
