package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestExactEcho: GET /echo echoes every message unchanged, for Autobahn.
func TestExactEcho(t *testing.T) {
	webtest.ExactEchoContract(t, run)
}
