package chapters

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/proxy"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// outputsDir holds what the recorded commands printed; the chapters
// include these files.
const outputsDir = "testdata/outputs"

// recording is a session whose output a chapter shows: the commands as
// the reader types them, each run with bash at the top of the
// repository, and the golden file in outputsDir that keeps, for each, "$ ",
// the command and what it printed.
type recording struct {
	golden string
	// command is the session's one command; steps, if set, are its
	// commands, one after the other.
	command string
	steps   []step
	needs   []string // what the commands need: "chromium", "nginx", "curl", "linux"
	// setup runs first, in the same shell as each command (so a cd
	// carries over), and is not shown; what it prints is dropped.
	setup string
	// slow: the commands take a minute or more. They run under CI=true
	// and with -update; elsewhere the recording is skipped, and says so.
	slow bool
	// measured matches the numbers a run measures (bytes, KiB, ns/op). The
	// golden keeps one real run's numbers, for the book to quote; the
	// comparison replaces them with "…", so it checks the shape of the
	// output (every line, every name, every unit) and not the machine.
	measured *regexp.Regexp
	// quick, if set, is run in place of command when not updating: the
	// same command at a smaller size (a benchmark at -benchtime=1x). Only
	// a measured recording may have one.
	quick string
	// unordered: lines that goroutines print concurrently (a client's and
	// a server's logs) are compared as a sorted list; the golden keeps
	// the order of the recorded run.
	unordered bool
	// fails: the command exits non-zero, and the output says so.
	fails bool
	// clean, if set, normalises what is volatile beyond webtest.Normalise.
	clean func(string) string
}

// step is one command of a session, and whether it must fail.
type step struct {
	run   string
	fails bool
}

// session returns the recording's steps: its one command, or its steps.
func (r recording) session() []step {
	if r.steps != nil {
		return r.steps
	}
	return []step{{run: r.command, fails: r.fails}}
}

// recordings are the outputs the chapters show. They run one after the
// other, to keep the load of `go test ./chapters` bounded.
var recordings = []recording{
	{
		golden:  "h2-gorilla.txt",
		command: `go test -count=1 -v -run 'TestH2BreaksAnUpgradeOnlyServer$' ./handshake/echo/`,
		needs:   []string{"chromium"},
	},
	{
		golden:  "h2-run-it.txt",
		command: `go test -count=1 -v -run 'TestH2|TestDialH2' ./handshake/ 2>&1 | grep -v '^=== RUN'`,
	},
	{
		golden: "h2-wire.txt",
		command: `GODEBUG=http2xconnect=1,http2debug=2 \
  go test -count=1 -v -run 'TestH2Echo$' ./handshake/ 2>&1 |
  grep -E 'wrote SETTINGS len|Transport encoding header|server encoding header ":status"|wrote HEADERS|wrote DATA stream=1 len=(23|19) ' |
  cut -c21-`,
		unordered: true,
		clean: func(s string) string {
			// The client's frame is masked with a random key: keep its
			// first two bytes (FIN and opcode; MASK and length).
			return regexp.MustCompile(`(data="\\x81\\x91)[^\n]*"`).ReplaceAllString(s, `$1…"`)
		},
	},
	{
		golden:   "h2-bench.txt",
		command:  `go test -run '^$' -bench IdleMemory ./handshake/`,
		quick:    `go test -run '^$' -bench IdleMemory -benchtime 1x ./handshake/`,
		measured: regexp.MustCompile(`\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:  "h2-chromium.txt",
		command: `go test -count=1 -v -run 'H2' ./handshake/echo/`,
		needs:   []string{"chromium"},
	},
	{
		golden:  "h2-test-it.txt",
		command: `go test -count=1 -run 'H2|Stream' ./handshake/ ./handshake/echo/`,
		needs:   []string{"chromium"},
	},
	{
		golden:   "claimed-lengths.txt",
		command:  `go test -count=1 -v -run 'TestClaimedLengthsCostNothing$' ./handshake/echo/`,
		needs:    []string{"linux"}, // it reads /proc
		measured: regexp.MustCompile(`\b\d+(\.\d+)?s?\b`),
	},
	{
		golden:  "nginx-sends.txt",
		command: `go test -count=1 -v -run 'TestWhatNginxSends' ./web/proxy/`,
		needs:   []string{"nginx"},
	},
	{
		golden:  "nginx-naive.txt",
		command: `go test -count=1 -v -run 'TestNaiveNginx' ./web/proxy/ | grep answers`,
		needs:   []string{"nginx"},
	},
	{
		golden: "tls-flags.txt",
		steps: []step{
			{run: `go run ./echo-gorilla -tls-cert cert.pem`, fails: true},
			{run: `go run ./echo-gorilla -tls-self-signed -tls-cert cert.pem -tls-key key.pem`, fails: true},
			{run: `go run ./echo-gorilla -tls-cert cert.pem -tls-key key.pem`, fails: true},
		},
	},
	{
		golden:  "wss-tests.txt",
		command: `go test -count=1 -v -run 'TestEveryServerSpeaksWSS|TestBrowserEchoesOverWSS' ./web/serve 2>&1 | grep -v '^=== RUN'`,
		needs:   []string{"chromium"},
		slow:    true,
	},
	{
		golden:  "nginx-spreads.txt",
		command: `go test -count=1 -v -run TestNginxSpreadsAndSkips ./web/proxy 2>&1 | grep -v '^=== RUN'`,
		needs:   []string{"nginx"},
	},
	{
		golden:  "nginx-tls.txt",
		command: `go test -count=1 -v -run 'TestNginxEndsTLS|TestNginxTLSForwardedProto|TestBrowserThroughNginxTLS' ./web/proxy 2>&1 | grep -v '^=== RUN'`,
		needs:   []string{"nginx", "chromium"},
	},
	{
		golden: "nginx-none.txt",
		steps: []step{
			{run: `NGINX=none go test -count=1 -v -run TestNginxSpreadsAndSkips ./web/proxy 2>&1 | grep -v '^=== RUN'`},
			{run: `CI=true NGINX=none go test -count=1 -run TestNginxSpreadsAndSkips ./web/proxy`, fails: true},
		},
	},
	{
		golden:  "proxy-tests.txt",
		command: `go test -count=1 -v ./web/proxy 2>&1 | grep -E '^ *(--- |PASS|FAIL|ok)'`,
		needs:   []string{"nginx", "chromium"},
		slow:    true,
	},
	{
		golden:  "check-after-01.txt",
		setup:   solvedFirst,
		command: `go run ./check`,
		fails:   true,
		clean:   cleanCheck,
	},
	{
		golden:  "check-04.txt",
		setup:   solvedFirst + "\ngo run ./check",
		command: `go run ./check 04`,
		fails:   true,
		clean:   cleanCheck,
	},
	{
		golden:  "polling-inside-test-it.txt",
		command: `go test -count=1 -run 'SlowClient|SSESlow|Stalled|Lost|CountsEveryByte' ./polling/...`,
	},
}

// solvedFirst is a setup: a handout of the exercises in a new folder
// .../class, with exercise 01 solved (its reference solution in place of
// the stub), and the shell in it, as a student just after exercise 1.
const solvedFirst = `set -e
class=$(mktemp -d)/class
trap 'rm -rf "$(dirname "$class")"' EXIT
(cd exercises && go run ./handout -o "$class")
grep -v '^//go:build' exercises/01-long-poll/log_solution.go > "$class/01-long-poll/log.go"
cd "$class"
set +e`

// cleanCheck cuts what changes in the runner's output from run to run:
// the handout's folder (shown as /tmp/class) and the seconds a check took.
func cleanCheck(s string) string {
	s = regexp.MustCompile(`/tmp/tmp\.\w+/class`).ReplaceAllString(s, "/tmp/class")
	return regexp.MustCompile(`\b\d+(\.\d+)? s\)`).ReplaceAllString(s, "… s)")
}

// TestRecordedOutputs runs every command of recordings and compares what
// it printed, normalised (webtest.Normalise: times, ports, addresses),
// with its golden file; -update rewrites the files. They are the outputs
// the chapters show, so what the book shows is what the code does today.
// The commands run the workbook's own tests and tools as real processes,
// for a minute or more; -short skips them, and so does -race, whose run
// would only repeat the same commands more slowly.
func TestRecordedOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: the recorded commands take a minute or more (-short)")
	}
	if webtest.RaceEnabled && !*update {
		t.Skip("skipping under -race: the commands are the same as without it, and are compared there")
	}
	for _, r := range recordings {
		t.Run(r.golden, func(t *testing.T) {
			requireTools(t, r.needs)
			if r.slow && !*update && os.Getenv("CI") != "true" {
				t.Skip("skipping: a minute or more; it runs under CI=true, or with -update")
			}
			got := ""
			for _, st := range r.session() {
				command := st.run
				if r.quick != "" && !*update {
					command = r.quick
				}
				if r.setup != "" {
					command = "{ " + r.setup + "\n} >/dev/null 2>&1\n" + command
				}
				got += "$ " + st.run + "\n" + record(t, command, st.fails, r)
			}
			path := filepath.Join(outputsDir, r.golden)
			if *update {
				require.NoError(t, os.MkdirAll(outputsDir, 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			data, err := os.ReadFile(path)
			require.NoError(t, err, "no golden file: go test ./chapters -run TestRecordedOutputs -update")
			want := string(data)
			if r.measured != nil {
				want, got = shape(want, r.measured), shape(got, r.measured)
			}
			if r.unordered {
				want, got = sortLines(want), sortLines(got)
			}
			assert.Equal(t, want, got, "%s is out of date: go test ./chapters -run 'TestRecordedOutputs/%s' -update, and read the diff",
				path, r.golden)
		})
	}
}

// record runs command and returns its output as the chapter shows it.
func record(t *testing.T, command string, fails bool, r recording) string {
	t.Helper()
	cmd := exec.Command("bash", "-o", "pipefail", "-c", command)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if fails {
		require.Error(t, err, "%s should fail:\n%s", command, out)
	} else {
		require.NoError(t, err, "%s:\n%s", command, out)
	}
	// The exit status is part of what the chapter shows (2 for a usage
	// error): kept from webtest.Normalise, which hides it.
	text := exitStatus.ReplaceAllString(string(out), "exit\x00$1")
	if r.measured == nil {
		text = webtest.Normalise(text)
	} else {
		// Keep the measured numbers; only the ports and paths change.
		text = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(text, "127.0.0.1:PORT")
	}
	text = strings.ReplaceAll(text, "exit\x00", "exit status ")
	text = logTime.ReplaceAllString(text, "")
	if r.clean != nil {
		text = r.clean(text)
	}
	return text
}

// exitStatus is go run's last line when the program fails.
var exitStatus = regexp.MustCompile(`exit status (\d+)`)

// logTime is the date and time log.Printf and slog's text handler put in
// front of a line.
var logTime = regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// shape replaces what a run measures with "…" and runs of spaces and tabs
// (which line the numbers up) with one space.
func shape(s string, measured *regexp.Regexp) string {
	s = measured.ReplaceAllString(webtest.Normalise(s), "…")
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(s, " ")
}

// sortLines returns the lines of s, sorted.
func sortLines(s string) string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// requireTools skips (or, under CI=true, fails) the test when a tool the
// command needs is missing.
func requireTools(t *testing.T, needs []string) {
	t.Helper()
	for _, tool := range needs {
		switch tool {
		case "chromium":
			webtest.RequireTool(t, webtest.ChromiumPath() != "", "Chromium", "apt-get install chromium")
		case "nginx":
			webtest.RequireTool(t, proxy.NginxPath() != "", "nginx", "apt-get install nginx")
		case "linux":
			if runtime.GOOS != "linux" {
				t.Skip("skipping: the command runs only on Linux")
			}
		case "curl":
			_, err := exec.LookPath("curl")
			webtest.RequireTool(t, err == nil, "curl", "apt-get install curl")
		default:
			t.Fatalf("unknown tool %q", tool)
		}
	}
}
