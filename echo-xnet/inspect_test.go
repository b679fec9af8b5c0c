package main

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestInspectorContract: the shared page's frame inspector, in a real
// browser, on this server.
func TestInspectorContract(t *testing.T) {
	webtest.InspectorContract(t, run)
}
