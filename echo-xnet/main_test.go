package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestEchoContract holds the x/net server to the workbook's echo contract:
// the same claims, word for word, as the gorilla and by-hand servers.
func TestEchoContract(t *testing.T) {
	webtest.EchoContract(t, run)
}
