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
// gorilla v1.5.3 asks w.(http.Hijacker): only the wrapper with a Hijack
// method of its own lets the upgrade through. testdata/middleware.golden
// is what the client saw and the server logged, for the chapter.
func TestMiddlewareAndTheHijacker(t *testing.T) {
	want := map[string]string{
		"naive":             "500 Internal Server Error",
		"unwrap only":       "500 Internal Server Error",
		"unwrap and hijack": "echoed Received: hello",
	}
	var all strings.Builder
	for _, v := range middleware.Variants {
		h := &echoHandler{origins: &policy.Origins{}, tracker: webtest.NewRecorder(), prefix: []byte("Received: ")}
		got := webtest.UpgradeThrough(t, v.Wrap(io.Discard, h))
		assert.Contains(t, got, want[v.Name], v.Name)
		all.WriteString("# " + v.Name + "\n" + got)
	}
	webtest.Golden(t, "middleware.golden", all.String(), *updateGolden)
}
