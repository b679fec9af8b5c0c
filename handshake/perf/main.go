// Command perf measures the workbook's three echo servers against a raw TCP
// echo on loopback, for the chapter "Three servers side by side". Each
// server runs as its own process, built from its main package; the
// measurements are interleaved, so a busy moment of the machine falls on
// every server alike.
//
//	go run ./handshake/perf                  # about a minute
//	go run ./handshake/perf -quick           # a few seconds, smaller numbers
//
// It prints a Markdown table: round-trip latency of a 32-byte message
// (median, p99, ratio to raw TCP), messages per second over 100 concurrent
// connections, and server memory per idle connection at 1,000 and 10,000
// connections, with the machine it ran on.
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
	flag.IntVar(&cfg.rounds, "rounds", 20, "interleaved rounds of the latency and throughput measurements")
	flag.IntVar(&cfg.trips, "trips", 500, "round trips per server per round for latency")
	flag.IntVar(&cfg.conns, "conns", 100, "concurrent connections for throughput")
	flag.DurationVar(&cfg.window, "window", 250*time.Millisecond, "throughput measuring window per server per round")
	quick := flag.Bool("quick", false, "a short run: 4 rounds of 200 trips, 1,000 idle connections only")
	flag.BoolVar(&cfg.pin, "pin", true, "run the client and every server on one CPU (Linux: sched_setaffinity)")
	flag.IntVar(&cfg.cpu, "cpu", runtime.NumCPU()-1, "the CPU to pin to")
	flag.Parse()
	cfg.idle = []int{1000, 10000}
	if *quick {
		cfg.rounds, cfg.trips, cfg.window, cfg.idle = 4, 200, 100*time.Millisecond, []int{1000}
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(1)
	}
}

type config struct {
	rounds, trips, conns int
	window               time.Duration
	idle                 []int
	pin                  bool
	cpu                  int
	setup                string // how the run was pinned and how quiet the machine was
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
	cfg.setup = "not pinned"
	if ok, why := pinnable(); cfg.pin && !ok {
		fmt.Fprintln(os.Stderr, "perf:", why)
		cfg.setup = "not pinned: " + why
	} else if cfg.pin {
		// Before any server starts: each inherits this process's CPU mask.
		if err := pin(cfg.cpu); err != nil {
			return err
		}
		cfg.setup = fmt.Sprintf("client and servers pinned to CPU %d", cfg.cpu)
	}
	busy, err := waitForQuiet(0.10, 30*time.Second)
	if err != nil {
		return err
	}
	cfg.setup += fmt.Sprintf("; CPUs %.0f%% busy before the run", busy*100)
	root, err := conformance.ModuleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "perf")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	self, err := os.Executable()
	if err != nil {
		return err
	}
	tcp, err := conformance.StartCommand(self, tcpEchoFlag)
	if err != nil {
		return err
	}
	targets := []*target{{name: "raw TCP echo", proc: tcp}}
	for _, s := range conformance.Servers {
		bin, err := s.Build(root, dir)
		if err != nil {
			return err
		}
		p, err := conformance.Start(bin)
		if err != nil {
			return err
		}
		targets = append(targets, &target{name: s.Name, ws: true, proc: p})
	}
	defer func() {
		for _, t := range targets {
			_ = t.proc.Stop()
		}
	}()
	for _, t := range targets {
		t.addr = hostPort(t.proc.URL)
	}

	res := measureAll(cfg, targets)
	writeReport(os.Stdout, cfg, machine(), res)
	return nil
}
