package main

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/websocket-in-go/workbook/web/middleware"
	"github.com/websocket-in-go/workbook/web/policy"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestMiddlewareAndTheHijacker puts each way of writing an access-log
// middleware (package middleware) in front of this server's /ws handler.
// x/net asks w.(http.Hijacker) and panics if Hijack fails; but this
// server hands x/net its own hijacker (hijack.go), which reaches the
// connection through http.NewResponseController, so Unwrap alone is
// enough. testdata/middleware.golden is what the client saw and the
// server logged, for the chapter.
func TestMiddlewareAndTheHijacker(t *testing.T) {
	want := map[string]string{
		"naive":             "client: unexpected EOF",
		"unwrap only":       "echoed Received: hello",
		"unwrap and hijack": "echoed Received: hello",
	}
	var all strings.Builder
	for _, v := range middleware.Variants {
		h := newEchoServer(&policy.Origins{}, webtest.NewRecorder())
		got := webtest.UpgradeThrough(t, v.Wrap(io.Discard, h))
		assert.Contains(t, got, want[v.Name], v.Name)
		all.WriteString("# " + v.Name + "\n" + got)
	}
	webtest.Golden(t, "middleware.golden", all.String(), *updateGolden)
}
