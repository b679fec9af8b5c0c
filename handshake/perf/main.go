// Command perf measures WebSocket echo servers against a raw TCP echo on
// loopback, for the chapter "Which library should I pick?": the workbook's
// three (by hand, gorilla, x/net), the by-hand protocol on an epoll loop
// (handshake/echo-epoll, Linux only) and, from the separate module in
// handshake/perf/peers, coder/websocket, gobwas/ws and nbio. Each server
// runs as its own process, built from its main package, every one on the
// same contract; the measurements are interleaved in short rounds, so a
// busy moment of the machine falls on every server alike.
//
//	go run ./handshake/perf                  # three to six minutes
//	go run ./handshake/perf -quick           # under a minute, rougher numbers
//	go run ./handshake/perf -compare a.md b.md c.md   # do runs agree?
//	go run ./handshake/perf -conformance-only         # the cases each server does not pass
//	go run ./handshake/perf -wakeups                  # raw TCP round trips, unpinned and pinned
//	go run ./handshake/perf -prose                    # the chapter's sentences, from the committed runs
//
// It prints a Markdown table, one row per server: round-trip latency of a
// 32-byte message (median, p99, and the ratio to raw TCP, paired round by
// round), messages per second over 100 concurrent connections, throughput
// of 64 KiB messages, server memory per idle connection at 1,000 and
// 10,000 connections, and the workbook's conformance suite, with the
// machine it ran on.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/websocket-in-go/workbook/handshake/conformance"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == tcpEchoFlag {
		serveTCPEcho()
		return
	}
	cfg := config{}
	flag.IntVar(&cfg.rounds, "rounds", 200, "interleaved rounds of the latency and 64 KiB measurements")
	flag.IntVar(&cfg.trips, "trips", 200, "round trips per server per round for latency")
	flag.IntVar(&cfg.bulk, "bulk", 8, "64 KiB echoes per server per round")
	flag.IntVar(&cfg.tputRounds, "throughput-rounds", 8, "interleaved rounds of the 100-connection throughput measurement")
	flag.IntVar(&cfg.conns, "conns", 100, "concurrent connections for throughput")
	flag.DurationVar(&cfg.window, "window", 250*time.Millisecond, "throughput measuring window per server per round")
	flag.BoolVar(&cfg.conformance, "conformance", true, "run the workbook's conformance suite against every server")
	quick := flag.Bool("quick", false, "a short run: 30 rounds, 1,000 idle connections only, no conformance")
	flag.BoolVar(&cfg.pin, "pin", true, "run the client and every server on one CPU (Linux: sched_setaffinity)")
	flag.IntVar(&cfg.cpu, "cpu", runtime.NumCPU()-1, "the CPU to pin to")
	compare := flag.Bool("compare", false, "read the reports named as arguments and check that they agree")
	only := flag.Bool("conformance-only", false, "run only the conformance suite, and list every case a server did not pass")
	wake := flag.Bool("wakeups", false, "only raw TCP round trips on fresh connections, unpinned then pinned: why perf pins")
	writeProseOnly := flag.Bool("prose", false, "only write handshake/perf/prose.md, the chapter's sentences with numbers, from the committed runs")
	flag.Parse()
	if *writeProseOnly {
		root, err := conformance.ModuleRoot()
		if err == nil {
			err = writeProseFile(root)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "perf:", err)
			os.Exit(1)
		}
		return
	}
	if *wake {
		if err := wakeups(os.Stdout, cfg.cpu, 10, 500); err != nil {
			fmt.Fprintln(os.Stderr, "perf:", err)
			os.Exit(1)
		}
		return
	}
	if *only {
		if err := conformanceOnly(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "perf:", err)
			os.Exit(1)
		}
		return
	}
	if *compare {
		if err := compareFiles(os.Stdout, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "perf:", err)
			os.Exit(1)
		}
		return
	}
	cfg.idle = []int{1000, 10000}
	if *quick { // rougher defaults; flags given explicitly still count
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		quickly := func(name string, apply func()) {
			if !set[name] {
				apply()
			}
		}
		quickly("rounds", func() { cfg.rounds = 30 })
		quickly("throughput-rounds", func() { cfg.tputRounds = 3 })
		quickly("window", func() { cfg.window = 100 * time.Millisecond })
		quickly("conformance", func() { cfg.conformance = false })
		cfg.idle = []int{1000}
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(1)
	}
}

type config struct {
	rounds, trips, bulk int
	tputRounds, conns   int
	window              time.Duration
	idle                []int
	conformance         bool
	pin                 bool
	cpu                 int
	setup               string   // how the run was pinned and how quiet the machine was
	notes               []string // servers that could not be measured, and why
}

// target is one server under measurement.
type target struct {
	name string
	ws   bool // a WebSocket echo (else the raw TCP echo)
	proc *conformance.Process
	addr string // host:port
}

func run(cfg config) error {
	if err := measurable(); err != nil {
		return err
	}
	raiseFileLimit()
	root, err := conformance.ModuleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "perf")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// Build first, on every CPU: a build pinned to one would take minutes.
	type built struct {
		name, bin string
		args      []string
	}
	var bins []built
	for _, s := range servers {
		fmt.Fprintf(os.Stderr, "building %s\n", s.name)
		bin, err := s.build(root, dir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "perf: %s is not measured: %v\n", s.name, err)
			cfg.notes = append(cfg.notes, fmt.Sprintf("%s: not measured, it did not build (%s)", s.name, firstLine(err.Error())))
			continue
		}
		bins = append(bins, built{s.name, bin, s.args})
	}

	cfg.setup = "not pinned"
	if ok, why := pinnable(); cfg.pin && !ok {
		fmt.Fprintln(os.Stderr, "perf:", why)
		cfg.setup = "not pinned: " + why
	} else if cfg.pin {
		// Before any server starts: each inherits this process's CPU mask.
		if err := pin(cfg.cpu); err != nil {
			return err
		}
		// One CPU, so one P: a second would spin looking for work on the
		// very CPU the server it waits for needs. The servers get the same.
		runtime.GOMAXPROCS(1)
		os.Setenv("GOMAXPROCS", "1")
		cfg.setup = fmt.Sprintf("client and servers pinned to CPU %d, GOMAXPROCS=1", cfg.cpu)
	} else {
		cfg.setup = "not pinned (-pin=false)"
	}
	busy, err := waitForQuiet(0.10, 30*time.Second)
	if err != nil {
		return err
	}
	cfg.setup += fmt.Sprintf("; CPUs %.0f%% busy before the run", busy*100)
	if rev := conformance.Revision(root); rev != "" {
		cfg.setup += "; " + rev
	}

	self, err := os.Executable()
	if err != nil {
		return err
	}
	tcp, err := conformance.StartCommand(self, tcpEchoFlag)
	if err != nil {
		return err
	}
	targets := []*target{{name: "raw TCP echo", proc: tcp}}
	defer func() {
		for _, t := range targets {
			_ = t.proc.Stop()
		}
	}()
	for _, b := range bins {
		p, err := conformance.StartCommand(b.bin, append([]string{"-addr", "127.0.0.1:0"}, b.args...)...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "perf: %s is not measured: %v\n", b.name, err)
			cfg.notes = append(cfg.notes, fmt.Sprintf("%s: not measured, it did not start (%s)", b.name, firstLine(err.Error())))
			continue
		}
		targets = append(targets, &target{name: b.name, ws: true, proc: p})
	}
	for _, t := range targets {
		t.addr = hostPort(t.proc.URL)
	}

	start := time.Now()
	res := measureAll(cfg, targets)
	res.took = time.Since(start)
	writeReport(os.Stdout, cfg, machine(), res)

	return nil
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
