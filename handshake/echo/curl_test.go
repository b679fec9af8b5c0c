package main

import (
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// curlHandshake is the request of the chapter "The opening handshake", as
// curl sends it. --http1.1 because a WebSocket handshake is HTTP/1.1 only;
// -N so that curl prints the 101 as it arrives instead of buffering it;
// --max-time 1 because after the 101 the connection speaks WebSocket,
// which curl does not: it waits, and gives up after a second (exit 28).
func curlHandshake(version string, extra ...string) []string {
	args := []string{"-si", "-N", "--http1.1", "--max-time", "1",
		"-H", "Upgrade: websocket", "-H", "Connection: Upgrade",
		"-H", "Sec-WebSocket-Key: f7cb4ezEAl6C3wRaU6JORA==",
		"-H", "Sec-WebSocket-Version: " + version}
	for _, h := range extra {
		args = append(args, "-H", h)
	}
	return args
}

// dateRE is the Date header of a refusal, which changes every second.
var dateRE = regexp.MustCompile(`(?m)^Date: .*$`)

// TestCurlShowsTheHandshake runs the chapter's curl commands against the
// by-hand server and keeps what curl printed, with each command, in
// testdata/curl.txt (-update rewrites it). The chapter shows that file.
func TestCurlShowsTheHandshake(t *testing.T) {
	curl, err := exec.LookPath("curl")
	webtest.RequireTool(t, err == nil, "curl", "apt-get install curl")
	s := webtest.Start(t, run)

	cases := []struct {
		args []string
		exit int // curl's exit status: 28 is "timed out", after the 101
	}{
		{curlHandshake("13"), 28},
		{curlHandshake("8"), 0},
		{curlHandshake("13", "Origin: http://evil.example"), 0},
	}
	var transcript strings.Builder
	for _, tc := range cases {
		args := append(tc.args, s.URL+"/ws")
		out, err := exec.Command(curl, args...).Output()
		exit := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			exit = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		require.Equal(t, tc.exit, exit, "curl %s:\n%s", strings.Join(args, " "), out)
		transcript.WriteString("$ " + shellQuote(args) + "\n")
		transcript.WriteString(strings.ReplaceAll(string(out), "\r\n", "\n"))
		if exit != 0 {
			transcript.WriteString("(curl gives up after a second: exit status 28)\n")
		}
		transcript.WriteString("\n")
	}
	got := strings.ReplaceAll(transcript.String(), strings.TrimPrefix(s.URL, "http://"), "localhost:1234")
	got = dateRE.ReplaceAllString(got, "Date: (the time of the request)")
	webtest.Golden(t, "curl.txt", strings.TrimSuffix(got, "\n"), *updateGolden)
}

// shellQuote writes a curl command as a reader would type it, breaking the
// line before each -H and the URL so that it fits the book's width.
func shellQuote(args []string) string {
	var b strings.Builder
	b.WriteString("curl")
	for _, a := range args {
		if a == "-H" {
			b.WriteString(" \\\n    -H")
			continue
		}
		if strings.HasPrefix(a, "http://") {
			b.WriteString(" \\\n    " + a)
			continue
		}
		if strings.ContainsAny(a, " :") {
			a = "'" + a + "'"
		}
		b.WriteString(" " + a)
	}
	return b.String()
}
