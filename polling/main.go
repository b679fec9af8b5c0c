// Command polling is the lab of the chapter "Before WebSocket: short polling
// and long polling": one event source delivered four ways, side by side,
// with every byte on the wire counted.
//
//	go run ./polling            # then open http://localhost:1234
//
// POST /publish adds an event; GET /poll?since=N (short polling),
// GET /longpoll?since=N (long polling), GET /sse?since=N (Server-Sent
// Events) and GET /ws (WebSocket push) deliver it; GET /stats tells the bytes and requests each transport has cost; GET /
// is the page that shows all four at work (GET /?since=N replays from
// event N, and shows which events the server no longer has).
package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/websocket-in-go/workbook/polling/events"
	"github.com/websocket-in-go/workbook/web/serve"
)

func main() {
	serve.Main("polling", run)
}

// ANCHOR: run
// run is the whole program but for signals, so tests can start and stop it.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg serve.Config
	fs := cfg.FlagSet("polling", os.Stderr)
	timeout := fs.Duration("longpoll-timeout", events.DefaultLongPollTimeout, "how long a long poll waits before it answers []")
	lifetime := fs.Duration("sse-lifetime", 0, "end each /sse stream after this long, so the browser reconnects with Last-Event-ID (0: never)")
	tick := fs.Duration("tick", 5*time.Second, "publish a tick event this often (0 turns the ticker off)")
	if err := serve.Parse(fs, args); err != nil {
		return err
	}
	log := events.NewLog(events.DefaultCapacity)
	if *tick > 0 {
		go ticker(ctx, log, *tick)
	}
	srv := newServer(cfg, log, *timeout, *lifetime)
	return srv.Run(ctx, stdout)
}

// ANCHOR_END: run

// ticker publishes "tick at HH:MM:SS" every period until ctx is done, so
// the page has something to show when no one is typing.
func ticker(ctx context.Context, log *events.Log, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			log.Publish("tick at " + now.Format(time.TimeOnly))
		case <-ctx.Done():
			return
		}
	}
}
