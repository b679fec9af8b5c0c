package main

import (
	"flag"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestRunIt is the chapter's "Run it" with curl: publish an event, read it
// with a short poll, ask a long poll for an event from the future, and
// read the byte counts. curl's --connect-to sends the requests to the
// test's port while the Host header says localhost:1234, as the reader's
// would, so the bytes counted are the reader's (with the same curl).
// -update rewrites testdata/run-it.txt, which the chapter shows.
func TestRunIt(t *testing.T) {
	curl, err := exec.LookPath("curl")
	webtest.RequireTool(t, err == nil, "curl", "apt-get install curl")
	s := webtest.Start(t, run, "-tick", "0")
	to := "localhost:1234:" + strings.TrimPrefix(s.URL, "http://")

	got := curlSession(t, curl, to, [][]string{
		{"-d", "hello from curl", "localhost:1234/publish"},
		{"localhost:1234/poll?since=0"},
		{"localhost:1234/longpoll?since=1000"},
		{"localhost:1234/stats"},
	})
	// The poll's answer carries the event's time with as many digits as it
	// needs (RFC 3339, trailing zeros cut), so its length varies by a byte
	// or two from run to run: the one count in /stats that is not fixed.
	got = regexp.MustCompile(`("poll": \{"requests":1,"bytes_in":\d+,"bytes_out":)\d+`).
		ReplaceAllString(got, `${1}2…`)
	// What curl sends depends on its version (its User-Agent header), so
	// the bytes in are the reader's curl's, not ours: shown as "…".
	got = regexp.MustCompile(`"bytes_in":[1-9]\d*`).ReplaceAllString(got, `"bytes_in":…`)
	webtest.Golden(t, "run-it.txt", got, *update)
}

// ANCHOR: runit_sse_test
// TestRunItSSE is the "Run it" of the event stream: with -sse-lifetime 1s
// each stream ends after a second, so curl returns. The first stream
// starts from ?since=0; the second resumes after Last-Event-ID: 1, as a
// reconnecting browser would; a malformed Last-Event-ID is refused.
// -update rewrites testdata/run-it-sse.txt, which the chapter shows.
func TestRunItSSE(t *testing.T) {
	curl, err := exec.LookPath("curl")
	webtest.RequireTool(t, err == nil, "curl", "apt-get install curl")
	s := webtest.Start(t, run, "-tick", "0", "-sse-lifetime", "1s")
	to := "localhost:1234:" + strings.TrimPrefix(s.URL, "http://")
	got := curlSession(t, curl, to, [][]string{
		{"-d", "one", "localhost:1234/publish"},
		{"-d", "two", "localhost:1234/publish"},
		{"-N", "localhost:1234/sse?since=0"},
		{"-iN", "-H", "Last-Event-ID: 1", "localhost:1234/sse?since=0"},
		{"-i", "-H", "Last-Event-ID: seven", "localhost:1234/sse"},
	})
	got = regexp.MustCompile(`(?m)^Date: .*$`).ReplaceAllString(got, "Date: …")
	webtest.Golden(t, "run-it-sse.txt", got, *update)
}

// ANCHOR_END: runit_sse_test

// curlSession runs curl -s with each argument list against the server at
// to, and returns what the reader would see: each command after a "$",
// then its output, CR LF as LF, event times as "…".
func curlSession(t *testing.T, curl, to string, commands [][]string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range commands {
		out, err := exec.Command(curl, append([]string{"-s", "--connect-to", to}, args...)...).Output()
		require.NoError(t, err, "curl %v", args)
		text := strings.ReplaceAll(string(out), "\r\n", "\n")
		b.WriteString("$ curl " + quote(args) + "\n" + strings.TrimRight(text, "\n") + "\n")
	}
	return regexp.MustCompile(`"time":"[^"]+"`).ReplaceAllString(b.String(), `"time":"…"`)
}

// quote writes curl's arguments as the reader types them.
func quote(args []string) string {
	var q []string
	for _, a := range args {
		if strings.ContainsAny(a, " ?") {
			a = "'" + a + "'"
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}
