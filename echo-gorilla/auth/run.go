package auth

import (
	"context"
	"io"
	"os"

	"github.com/websocket-in-go/workbook/web/serve"
)

// ANCHOR: run

// Run serves the endpoints on the runner every workbook server uses
// (serve.Server: the Host policy, the HTTP limits, a goodbye to every open
// socket at shutdown), with the usual flags: -addr, -allow-origin (which
// /ws/cookie honours) and -allow-host. It returns when ctx ends.
func Run(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg serve.Config
	if err := serve.Parse(cfg.FlagSet("auth", os.Stderr), args); err != nil {
		return err
	}
	srv := &serve.Server{Addr: cfg.Addr, Hosts: &cfg.Hosts, TLS: &cfg.TLS}
	s := New()
	s.Origins = &cfg.Origins
	s.Tracker = srv
	srv.Handler = s.Handler()
	return srv.Run(ctx, stdout)
}

// ANCHOR_END: run
