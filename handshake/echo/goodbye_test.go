package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestGoodbyeWithAStalledClient: a client that has stopped reading, its
// echoes piling up, must not keep close 1001 from the 39 others at
// shutdown, and the process still exits 0 within five seconds.
func TestGoodbyeWithAStalledClient(t *testing.T) {
	webtest.GoodbyeContract(t, ".", webtest.EchoGoodbye)
}
