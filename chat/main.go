package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/websocket-in-go/workbook/web/serve"
)

// defaultAddr is where the chat listens unless told: port 8080 on the
// loopback interface (the echo servers have 1234).
const defaultAddr = "localhost:8080"

func main() {
	serve.Main("chat", run)
}

// ANCHOR: run

// run is the whole program but for signals, so tests can start and stop it.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg serve.Config
	fs := cfg.FlagSet("chat", os.Stderr)
	if f := fs.Lookup("addr"); f != nil {
		f.DefValue = defaultAddr
		_ = f.Value.Set(defaultAddr)
	}
	natsURL := fs.String("nats", "",
		"NATS server URL(s), comma-separated for a cluster; "+
			"empty starts an embedded NATS server with JetStream")
	natsStore := fs.String("nats-store", "",
		"the embedded NATS server's JetStream directory "+
			"(default: a temporary one, removed at exit)")
	replicas := fs.Int("replicas", 1,
		"how many NATS servers store each message (3 on a cluster of three)")
	history := fs.Int64("history", historyPerRoom,
		"how many messages the stream keeps per room: the most a resume can replay")
	if err := serve.Parse(fs, args); err != nil {
		return err
	}
	if *natsURL != "" {
		if err := natsURLs(*natsURL); err != nil {
			fmt.Fprintln(fs.Output(), err)
			return &serve.UsageError{Err: err}
		}
	}
	var notes []string // printed after "listening on"
	if *natsURL == "" {
		e, err := startEmbedded(*natsStore)
		if err != nil {
			return err
		}
		defer e.stop()
		*natsURL = e.url()
		notes = append(notes,
			fmt.Sprintf("nats: embedded server at %s (JetStream)", e.url()),
			fmt.Sprintf("another chat joins it with -nats %s", e.url()))
	}
	b, err := connect(ctx, *natsURL, *replicas, *history)
	if err != nil {
		return err
	}
	defer b.close()
	sessions, tickets, err := openBuckets(ctx, b.js, *replicas, defaultLimits)
	if err != nil {
		return err
	}
	g := &gate{sessions: sessions, tickets: tickets}

	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS}
	mux := http.NewServeMux()
	mux.Handle("GET /", g.page(pageHandler()))
	mux.Handle("POST /ticket", g.ticket(&cfg.Origins))
	mux.HandleFunc("GET /ticket", postOnly) // not the page's 404
	mux.Handle("GET /ws", &chatHandler{
		origins: &cfg.Origins, gate: g, tracker: srv, rooms: newRooms(b, nodeID()),
	})
	srv.Handler = mux
	return srv.Run(ctx, &after{w: stdout, notes: notes})
}

// ANCHOR_END: run

// nodeID names this process in presence announcements and message ids.
func nodeID() string {
	return strings.ToLower(rand.Text()[:10])
}

// after writes to w, and once the line "listening on ..." is out, the
// notes: tests and scripts read the URL from that line (with -tls-*, the
// certificate's "tls:" lines come before it).
type after struct {
	w     io.Writer
	notes []string
	once  sync.Once
}

func (a *after) Write(p []byte) (int, error) {
	n, err := a.w.Write(p)
	if err == nil && bytes.Contains(p, []byte("listening on")) {
		a.once.Do(func() {
			for _, note := range a.notes {
				fmt.Fprintln(a.w, note)
			}
		})
	}
	return n, err
}
