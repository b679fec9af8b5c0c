package steps

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const (
	// events is how many events each step delivers.
	events = 5
	// empties is how many empty answers the short poller gets before each
	// event: the event comes every empties+1 polls.
	empties = 3
)

// event is what every step sends: {"id":N,"data":"..."}.
type event struct {
	ID   int    `json:"id"`
	Data string `json:"data"`
}

// cost is what delivering the events cost the client, as counted on its
// wire: setup is the handshake (push only), the rest is after it.
type cost struct {
	setupRequests, setupBytes int64
	requests, bytes           int64
}

// measure is one step's client: it delivers events (publishing them
// through publish) and returns what its wire counted.
type measure func(t *testing.T, base string, publish func(int)) cost

// TestSteps starts every step as a process, delivers the same events
// through each and counts, from the client's side, the requests and bytes
// they cost. It asserts the shape (short polling pays for empty answers,
// long polling makes exactly one request per event, push none) and writes
// the chapter's table.
func TestSteps(t *testing.T) {
	bins := build(t)
	steps := []struct {
		dir                  string
		measure              measure
		wantRequestsPerEvent int64
		what                 string
	}{
		{"1-short", shortPoll, empties + 1, "an answer per poll, [] in " + strconv.Itoa(empties) + " of 4"},
		{"2-long", longPoll, 1, "one held request"},
		{"3-push", push, 0, "one frame"},
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-8s  %-12s  %-14s  %-11s  %s\n",
		"step", "setup", "requests/event", "bytes/event", "per event")
	for _, s := range steps {
		t.Run(s.dir, func(t *testing.T) {
			p := webtest.StartProcess(t, filepath.Join(bins, s.dir))
			c := s.measure(t, p.URL, func(i int) { publish(t, p.URL, i) })
			assert.Equal(t, s.wantRequestsPerEvent*events, c.requests,
				"%s: requests for %d events", s.dir, events)
			require.Positive(t, c.bytes, "every event crosses the wire")
			setup := "-"
			if c.setupRequests > 0 {
				setup = fmt.Sprintf("%d req, %d B", c.setupRequests, c.setupBytes)
			}
			fmt.Fprintf(&table, "%-8s  %-12s  %-14d  %-11d  %s\n", s.dir, setup,
				c.requests/events, c.bytes/events, s.what)
		})
	}
	if !t.Failed() {
		webtest.Golden(t, "steps.txt", table.String(), *update)
	}
}

// build compiles every step into a temporary folder, with one go build.
func build(t *testing.T) string {
	t.Helper()
	bins := t.TempDir()
	cmd := exec.Command("go", "build", "-o", bins+string(filepath.Separator), "./...")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bins
}

// publish posts event i's data, on a client the measurement does not count.
func publish(t *testing.T, base string, i int) {
	t.Helper()
	resp, err := http.Post(base+"/publish", "text/plain", strings.NewReader(data(i)))
	require.NoError(t, err)
	defer resp.Body.Close()
	var got struct{ ID int }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, i, got.ID, "ids are 1, 2, 3, … with no gaps")
}

// data is event i's text.
func data(i int) string { return "event " + strconv.Itoa(i) }

// get sends GET base+path on the client and decodes the events it answers.
func get(t *testing.T, c *http.Client, url string) []event {
	t.Helper()
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var news []event
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&news))
	return news
}

// shortPoll polls /poll; an event is published after every empties empty
// answers, so the next poll must carry it.
func shortPoll(t *testing.T, base string, publish func(int)) cost {
	var w wire
	c := w.client()
	for i := 1; i <= events; i++ {
		for range empties {
			require.Empty(t, get(t, c, fmt.Sprintf("%s/poll?since=%d", base, i-1)))
		}
		publish(i)
		news := get(t, c, fmt.Sprintf("%s/poll?since=%d", base, i-1))
		require.Equal(t, []event{{i, data(i)}}, news)
	}
	return cost{requests: w.requests.Load(), bytes: w.bytes.Load()}
}

// longPoll sends each /longpoll and publishes the event while it is on its
// way or held (TestLongPollHolds shows the hold); either way one request
// carries the event.
func longPoll(t *testing.T, base string, publish func(int)) cost {
	var w wire
	c := w.client()
	for i := 1; i <= events; i++ {
		got := make(chan []event, 1)
		go func() {
			resp, err := c.Get(fmt.Sprintf("%s/longpoll?since=%d", base, i-1))
			if err != nil {
				got <- nil
				return
			}
			defer resp.Body.Close()
			var news []event
			_ = json.NewDecoder(resp.Body).Decode(&news)
			got <- news
		}()
		publish(i)
		select {
		case news := <-got:
			require.Equal(t, []event{{i, data(i)}}, news)
		case <-time.After(10 * time.Second):
			require.FailNow(t, "no answer to the long poll", "event %d", i)
		}
	}
	return cost{requests: w.requests.Load(), bytes: w.bytes.Load()}
}

// push opens one WebSocket and reads each event as one message.
func push(t *testing.T, base string, publish func(int)) cost {
	var w wire
	d := websocket.Dialer{NetDialContext: w.dial}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws?since=0", nil)
	require.NoError(t, err)
	defer conn.Close()
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	setup := w.bytes.Load()
	for i := 1; i <= events; i++ {
		publish(i)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
		var e event
		require.NoError(t, conn.ReadJSON(&e))
		require.Equal(t, event{i, data(i)}, e)
	}
	// A WebSocket client sends a request only by dialing again: count the
	// connections after the first, whose handshake is the setup.
	return cost{setupRequests: 1, setupBytes: setup,
		requests: w.dials.Load() - 1, bytes: w.bytes.Load() - setup}
}
