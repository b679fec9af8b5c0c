package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestRefusedIsLogged: a cross-site page's handshake is refused with 403
// before its ticket is looked at, and the terminal says so, as on every
// workbook server.
func TestRefusedIsLogged(t *testing.T) {
	webtest.RefusedIsLogged(t, ".")
}
