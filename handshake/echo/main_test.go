package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestEchoContract holds the by-hand server to the workbook's echo
// contract: the same claims, word for word, as the gorilla and x/net
// servers, with gorilla's and x/net's clients and a real browser as peers.
func TestEchoContract(t *testing.T) {
	webtest.EchoContract(t, run)
}

// TestSignals checks the real program: SIGINT and SIGTERM close every
// WebSocket with 1001 and the process exits 0.
func TestSignals(t *testing.T) {
	webtest.SignalContract(t, ".")
}
