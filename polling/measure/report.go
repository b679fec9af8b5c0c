package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/websocket-in-go/workbook/polling/wire"
)

// names are the transports as the tables call them.
var names = map[wire.Transport]string{
	wire.Poll:     "short polling",
	wire.LongPoll: "long polling",
	wire.SSE:      "Server-Sent Events",
	wire.WS:       "WebSocket",
}

// measuredHeader is the first line of the measured table.
// The headers are short so that the table fits the book's column at
// 1,200 px without wrapping a cell over several lines.
const measuredHeader = "| transport | delivered | requests / event | bytes / event | mean latency | p99 latency | idle bytes / min |"

// projected are the crowd sizes of the projection.
var projected = []int{1_000, 10_000, 100_000}

// ANCHOR: report
// report writes the two tables. Bytes per event are all the bytes of a
// transport, both ways, headers included, divided by the events delivered.
// The projection multiplies them by the number of clients, at one event per
// second each, as the Kaazing comparison did with its 871-byte poll.
func report(w io.Writer, cfg config, rows []row, took time.Duration) {
	fmt.Fprintf(w, "Measured with `go run ./polling/measure -clients %d -events %d -rate %g -interval %s` in %.1f s "+
		"on %s (%s/%s, %d CPUs, %s): %d clients per transport on loopback, Chrome's request headers, "+
		"long-poll timeout %s, WebSocket ping every %s, event-stream heartbeat every %s.\n\n",
		cfg.clients, cfg.events, cfg.rate, cfg.interval, took.Seconds(),
		cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(),
		cfg.clients, cfg.longPoll, cfg.ping, cfg.beat)
	fmt.Fprintf(w, "Connecting cost each WebSocket client %s bytes, once (the opening handshake, both ways), "+
		"and each Server-Sent Events client %s bytes (its one GET and the answer's headers); "+
		"the table counts what came after.\n\n",
		thousands(int(rowOf(rows, wire.WS).connect)), thousands(int(rowOf(rows, wire.SSE).connect)))
	fmt.Fprintln(w, measuredHeader)
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s of %s | %.2f | %s | %s | %s | %s (%.0f B / %s) |\n",
			names[r.transport], thousands(int(r.delivered)), thousands(int(r.expected)),
			float64(r.cost.Requests)/float64(r.delivered), thousands(int(bytesPerEvent(r)+0.5)),
			millis(r.mean), millis(r.p99),
			thousands(int(r.idleMin+0.5)), r.perIdle, idlePeriod(cfg, r.transport))
	}
	fmt.Fprintf(w, "\nProjected network throughput, both directions, at one event per second per client:\n\n")
	fmt.Fprintln(w, "| clients | short polling | long polling | SSE | WebSocket |")
	fmt.Fprintln(w, "|--:|--:|--:|--:|--:|")
	for _, n := range projected {
		cells := make([]string, 0, len(rows))
		for _, r := range rows {
			cells = append(cells, mbits(float64(n)*bytesPerEvent(r)))
		}
		fmt.Fprintf(w, "| %s | %s |\n", thousands(n), strings.Join(cells, " | "))
	}
}

// ANCHOR_END: report

// rowOf returns the row of transport t.
func rowOf(rows []row, t wire.Transport) row {
	for _, r := range rows {
		if r.transport == t {
			return r
		}
	}
	return row{}
}

// bytesPerEvent is a row's bytes on the wire per delivered event.
func bytesPerEvent(r row) float64 { return float64(r.cost.Bytes()) / float64(r.delivered) }

// idlePeriod is how often a transport spends its idle exchange.
func idlePeriod(cfg config, t wire.Transport) time.Duration {
	switch t {
	case wire.Poll:
		return cfg.interval
	case wire.LongPoll:
		return cfg.longPoll
	case wire.SSE:
		return cfg.beat
	}
	return cfg.ping
}

// mbits formats bytes per second as megabits per second.
func mbits(bytesPerSecond float64) string {
	return fmt.Sprintf("%.2f Mbit/s", bytesPerSecond*8/1e6)
}

// millis formats a duration in milliseconds with one decimal.
func millis(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// thousands writes n with commas: 100000 → 100,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// cpuModel names the processor, from /proc/cpuinfo where there is one.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for line := range strings.Lines(string(b)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimLeft(name, " \t:"))
			}
		}
	}
	return "unknown CPU"
}
