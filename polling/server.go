package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/websocket-in-go/workbook/polling/events"
	"github.com/websocket-in-go/workbook/polling/wire"
	"github.com/websocket-in-go/workbook/web"
	"github.com/websocket-in-go/workbook/web/serve"
	"github.com/websocket-in-go/workbook/web/tap"
)

// ANCHOR: mux

// newServer wires the lab: the event transports, /stats and the page, on a
// serve.Server whose listener counts every byte on the wire (package wire)
// and lets the page inspect its WebSocket's frames (package web/tap).
func newServer(cfg serve.Config, log *events.Log, timeout,
	sseLifetime time.Duration) *serve.Server {
	meter := wire.NewMeter()
	// the page's frame inspector (package web/tap), under the meter
	wiretap := new(tap.Tap)
	listen := func(ln net.Listener) net.Listener {
		return meter.Listen(wiretap.Listen(ln))
	}
	// serve.Server gives every request a 10 s write deadline; the handlers
	// set their own just before they write, so a long poll that waited 30 s
	// still has its 10 s to answer.
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS, Listen: listen,
		ConnContext: wire.ConnContext}
	h := &events.Handlers{Log: log, Origins: &cfg.Origins, LongPollTimeout: timeout,
		SSELifetime: sseLifetime, Track: srv.Track}
	mux := http.NewServeMux()
	h.Register(mux)
	mux.Handle("GET /stats", statsHandler(meter, log))
	// the shared style sheet
	mux.Handle("GET /web/", http.StripPrefix("/web", web.Handler()))
	// The page route names no method: "GET /" would catch GET /publish
	// (404) before the handler that answers it with 405.
	mux.Handle("/", events.Only(pageHandler(), http.MethodGet, http.MethodHead))
	wiretap.Register(mux, &cfg.Origins, srv)
	srv.Handler = wiretap.Handler(meter.Handler(mux))
	return srv
}

// ANCHOR_END: mux

// statsHandler answers GET /stats: what each transport has cost so far, and
// the newest event's id ("last"), where a new page starts its cursors. The
// JSON object has one key a line, for a person reading it with curl.
func statsHandler(m *wire.Meter, log *events.Log) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		out := map[string]any{"last": log.Last()}
		for t, totals := range m.Snapshot() {
			out[string(t)] = totals
		}
		var b bytes.Buffer
		b.WriteString("{")
		for i, k := range slices.Sorted(maps.Keys(out)) {
			key, _ := json.Marshal(k)
			value, err := json.Marshal(out[k])
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  " + string(key) + ": " + string(value))
		}
		b.WriteString("\n}\n")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(b.Bytes())
	})
}
