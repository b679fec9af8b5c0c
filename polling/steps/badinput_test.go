package steps

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestBadInput sends every step a cursor that is not an event id and a
// body over 64 KiB: each gets its status, and the step keeps serving.
func TestBadInput(t *testing.T) {
	bins := build(t)
	for _, s := range []struct{ dir, path string }{
		{"1-short", "/poll"}, {"2-long", "/longpoll"}, {"3-push", "/ws"},
	} {
		t.Run(s.dir, func(t *testing.T) {
			p := webtest.StartProcess(t, filepath.Join(bins, s.dir))
			for _, since := range []string{"abc", "-1", ""} {
				resp, err := http.Get(p.URL + s.path + "?since=" + since)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "since=%q", since)
			}
			big := strings.NewReader(strings.Repeat("x", 64<<10+1))
			resp, err := http.Post(p.URL+"/publish", "text/plain", big)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
			publish(t, p.URL, 1) // still serving, and the big body made no event
		})
	}
}

// TestLongPollHolds shows that 2-long holds a request with nothing to send
// until its timeout and then answers [], rather than answering at once.
func TestLongPollHolds(t *testing.T) {
	const timeout = 300 * time.Millisecond
	p := webtest.StartProcess(t, filepath.Join(build(t), "2-long"), "-timeout", timeout.String())
	start := time.Now()
	var w wire
	news := get(t, w.client(), p.URL+"/longpoll?since=0")
	assert.Empty(t, news)
	assert.GreaterOrEqual(t, time.Since(start), timeout, "answered before the timeout")
}
