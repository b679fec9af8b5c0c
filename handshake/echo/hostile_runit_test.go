package main

import (
	"bufio"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// TestHostileRunIt is the "Run it" of the chapter "Hostile input": the
// real server, two attacks with curl, the server's log, and a flag that
// could never match. -update rewrites testdata/hostile-run-it.txt, which
// the chapter shows.
func TestHostileRunIt(t *testing.T) {
	curl, err := exec.LookPath("curl")
	webtest.RequireTool(t, err == nil, "curl", "apt-get install curl")
	bin := webtest.BuildServer(t, ".")
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan())
	base, ok := strings.CutPrefix(lines.Text(), "listening on ")
	require.True(t, ok, lines.Text())
	host := strings.TrimPrefix(base, "http://")
	_, port, _ := strings.Cut(host, ":")
	logs := bufio.NewScanner(stderr)

	var b strings.Builder
	// shown is the command as the chapter prints it; args what runs. They
	// differ only in the 20,000-byte header, which the shell makes.
	for _, c := range []struct {
		shown string
		args  []string
	}{
		{`curl -s -H 'Host: evil.test:1234' http://localhost:1234/`,
			[]string{"-s", "-H", "Host: evil.test:" + port, base + "/"}},
		{`curl -s -o /dev/null -w '%{http_code}\n' \` + "\n" +
			`    -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" http://localhost:1234/`,
			[]string{"-s", "-o", "/dev/null", "-w", `%{http_code}\n`,
				"-H", "X-Big: " + strings.Repeat("a", 20000), base + "/"}},
	} {
		out, err := exec.Command(curl, c.args...).Output()
		require.NoError(t, err, c.shown)
		b.WriteString("$ " + c.shown + "\n" + strings.TrimRight(string(out), "\n") + "\n")
	}
	// Stop the server and read its whole log: every line it wrote.
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	b.WriteString("\nThe server's log, all of it, after Ctrl-C:\n")
	for logs.Scan() {
		b.WriteString(logs.Text() + "\n")
	}
	for lines.Scan() {
		b.WriteString(lines.Text() + "\n")
	}
	require.NoError(t, cmd.Wait(), "the server should exit 0 after SIGINT")

	flagErr, err := exec.Command(bin, "-allow-origin", "localhost:3000").CombinedOutput()
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "a bad -allow-origin must fail: %v", err)
	require.Equal(t, 2, ee.ExitCode())
	b.WriteString("\n$ go run ./handshake/echo -allow-origin localhost:3000\n" + string(flagErr))
	b.WriteString("(exit status 2)\n")

	got := strings.ReplaceAll(b.String(), host, "localhost:1234")
	got = strings.ReplaceAll(got, "evil.test:"+port, "evil.test:1234")
	got = regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `).ReplaceAllString(got, "")
	got = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(got, "127.0.0.1:PORT")
	webtest.Golden(t, "hostile-run-it.txt", got, *updateGolden)
}
