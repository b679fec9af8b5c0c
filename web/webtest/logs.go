package webtest

import (
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// LogLines collects what the default slog logger writes, one JSON record
// per line, until the test ends.
type LogLines struct {
	mu    sync.Mutex
	lines []map[string]any
	added chan struct{}
}

// CaptureLog makes the default slog logger write JSON into a new LogLines
// until the test ends.
func CaptureLog(t testing.TB) *LogLines {
	l := &LogLines{added: make(chan struct{}, 1)}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(l, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return l
}

// Write takes one record from slog's JSON handler.
func (l *LogLines) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		return 0, err
	}
	l.mu.Lock()
	l.lines = append(l.lines, m)
	l.mu.Unlock()
	select {
	case l.added <- struct{}{}:
	default:
	}
	return len(p), nil
}

// About returns the lines about the peer at remote (as the server saw it).
func (l *LogLines) About(remote string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, m := range l.lines {
		if m["remote"] == remote {
			out = append(out, m)
		}
	}
	return out
}

// WaitFor waits until a line about remote is logged and returns the lines.
func (l *LogLines) WaitFor(t testing.TB, remote string) []map[string]any {
	t.Helper()
	deadline := time.After(RawBound)
	for {
		if lines := l.About(remote); len(lines) > 0 {
			return lines
		}
		select {
		case <-l.added:
		case <-deadline:
			t.Fatalf("nothing was logged about %s", remote)
		}
	}
}
