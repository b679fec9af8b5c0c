package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestRefusedHandshakeIsLogged: the CSWSH demo shows its 403 on the
// terminal, not only as 1006 in the page.
func TestRefusedHandshakeIsLogged(t *testing.T) {
	webtest.RefusedIsLogged(t, ".", "-tick", "0")
}
