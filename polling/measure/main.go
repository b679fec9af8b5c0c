// Command measure is the measurement of the chapter "Before WebSocket:
// short polling and long polling". It runs short polling, long polling,
// Server-Sent Events and WebSocket push side by side against the lab's server, in process on a
// loopback port, with N simulated browser tabs each, and prints Markdown:
// a table of what each transport cost per event, counted on the wire with
// a real browser's headers, and a projection to 1,000, 10,000 and 100,000
// clients in the style of the Kaazing comparison.
//
//	go run ./polling/measure                  # about 15 s
//	go run ./polling/measure -clients 500 -events 30
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/websocket-in-go/workbook/polling/events"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

// run parses the flags, measures, and writes the report to stdout.
func run(args []string, stdout, stderr io.Writer) error {
	cfg := config{longPoll: events.DefaultLongPollTimeout, ping: events.DefaultPingPeriod, beat: events.DefaultHeartbeat}
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.clients, "clients", 100, "simulated clients per transport")
	fs.IntVar(&cfg.events, "events", 10, "events to publish")
	fs.Float64Var(&cfg.rate, "rate", 1, "events published per second")
	fs.DurationVar(&cfg.interval, "interval", time.Second, "short polling: time between two polls of one client")
	fs.DurationVar(&cfg.idle, "idle", 2*time.Second, "length of the idle measurement window")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.clients < 1 || cfg.events < 1 || cfg.rate <= 0 || cfg.interval <= 0 || cfg.idle < 4*time.Millisecond {
		return fmt.Errorf("-clients and -events must be at least 1, -rate and -interval above 0, -idle at least 4ms")
	}
	start := time.Now()
	rows, err := measure(cfg)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if len(r.faults) > 0 || r.delivered != r.expected {
			return fmt.Errorf("%s delivered %d of %d events (%d faults, first: %v)", r.transport, r.delivered, r.expected, len(r.faults), r.faults)
		}
	}
	report(stdout, cfg, rows, time.Since(start))
	return nil
}
