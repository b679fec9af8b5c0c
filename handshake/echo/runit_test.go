package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestRunIt is the chapter's "Run it": the real program, a page's two
// messages and a Ctrl-C, as the reader sees them. -update rewrites
// testdata/run-it.txt, which the chapter shows.
func TestRunIt(t *testing.T) {
	webtest.Golden(t, "run-it.txt", webtest.RunIt(t, ".", "go run ./handshake/echo"), *updateGolden)
}
