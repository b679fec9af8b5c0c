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

	var b strings.Builder
	for _, args := range [][]string{
		{"-d", "hello from curl", "localhost:1234/publish"},
		{"localhost:1234/poll?since=0"},
		{"localhost:1234/longpoll?since=1000"},
		{"localhost:1234/stats"},
	} {
		out, err := exec.Command(curl, append([]string{"-s", "--connect-to", to}, args...)...).Output()
		require.NoError(t, err, "curl %v", args)
		b.WriteString("$ curl " + quote(args) + "\n" + strings.TrimRight(string(out), "\n") + "\n")
	}
	got := regexp.MustCompile(`"time":"[^"]+"`).ReplaceAllString(b.String(), `"time":"…"`)
	// The poll's answer carries the event's time with as many digits as it
	// needs (RFC 3339, trailing zeros cut), so its length varies by a byte
	// or two from run to run: the one count in /stats that is not fixed.
	got = regexp.MustCompile(`("poll":\{"requests":1,"bytes_in":\d+,"bytes_out":)\d+`).
		ReplaceAllString(got, `${1}2…`)
	// What curl sends depends on its version (its User-Agent header), so
	// the bytes in are the reader's curl's, not ours: shown as "…".
	got = regexp.MustCompile(`"bytes_in":[1-9]\d*`).ReplaceAllString(got, `"bytes_in":…`)
	webtest.Golden(t, "run-it.txt", got, *update)
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
