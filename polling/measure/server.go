package main

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/websocket-in-go/workbook/polling/events"
	"github.com/websocket-in-go/workbook/polling/wire"
)

// labServer is the lab's server, in process, on a loopback port, with its
// bytes counted.
type labServer struct {
	url   string
	log   *events.Log
	meter *wire.Meter
	stop  func()
}

// startServer serves the event endpoints with the given long-poll timeout,
// WebSocket ping period and event-stream heartbeat.
func startServer(longPoll, ping, beat time.Duration) (*labServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &labServer{url: "http://" + ln.Addr().String(), log: events.NewLog(0), meter: wire.NewMeter()}
	mux := http.NewServeMux()
	(&events.Handlers{Log: s.log, LongPollTimeout: longPoll, PingPeriod: ping, Heartbeat: beat}).Register(mux)
	base, cancel := context.WithCancel(context.Background())
	srv := &http.Server{
		Handler:     s.meter.Handler(mux),
		ConnContext: wire.ConnContext,
		BaseContext: func(net.Listener) context.Context { return base },
	}
	go func() { _ = srv.Serve(s.meter.Listen(ln)) }()
	s.stop = func() {
		cancel() // ends waiting long polls
		_ = srv.Close()
	}
	return s, nil
}
