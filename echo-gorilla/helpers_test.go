package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/websocket-in-go/workbook/web/policy"
)

// startEcho serves s on a loopback port and returns its ws:// URL.
func startEcho(t *testing.T, s *echoHandler) string {
	t.Helper()
	if s.origins == nil {
		s.origins = &policy.Origins{}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}
