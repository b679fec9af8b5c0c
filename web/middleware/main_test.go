package middleware

import (
	"testing"

	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestMain fails the package if a test leaves a goroutine running.
func TestMain(m *testing.M) { webtest.MainNoLeaks(m) }
