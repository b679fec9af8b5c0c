package serve

import (
	"bytes"
	"log"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// captureLog sends slog's default logger (and the log package's) to a
// buffer until the test ends.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old, flags, out := slog.Default(), log.Flags(), log.Writer()
	log.SetOutput(&buf)
	log.SetFlags(0)
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old); log.SetOutput(out); log.SetFlags(flags) })
	return &buf
}

// TestLogLinesCannotBeForged: what a client sends (a reason that echoes its
// header, a path) stays inside one quoted value of one line.
func TestLogLinesCannotBeForged(t *testing.T) {
	buf := captureLog(t)
	r := httptest.NewRequest("GET", "/ws%0D%0Alevel=ERROR", nil)
	LogRefused(r, 403, "cross-origin request from http://evil.test\r\ntime=now level=ERROR msg=forged")
	LogFailed("127.0.0.1:1\nforged", 1002, "reserved opcode\r\n")
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	assert.Len(t, lines, 2, "one line per event: %q", buf.String())
	assert.Contains(t, lines[0], `reason="cross-origin request from http://evil.test\r\ntime=now level=ERROR msg=forged"`)
	assert.Contains(t, lines[0], "status=403")
	assert.Contains(t, lines[1], "code=1002")
}

// TestARefusedOriginIsNamed: a 403 names the page's Origin, quoted like
// every value a client sends; other refusals do not repeat it.
func TestARefusedOriginIsNamed(t *testing.T) {
	buf := captureLog(t)
	r := httptest.NewRequest("GET", "/ws", nil)
	r.Header.Set("Origin", "http://evil.example\r\nlevel=ERROR")
	LogRefused(r, 403, "cross-origin")
	LogRefused(r, 400, "bad key")
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	assert.Len(t, lines, 2, "one line per refusal: %q", buf.String())
	assert.Contains(t, lines[0], `origin="http://evil.example\r\nlevel=ERROR"`)
	assert.NotContains(t, lines[1], "origin=")
}
