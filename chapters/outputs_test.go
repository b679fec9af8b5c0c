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

// recording is one command whose output a chapter shows: the command as
// the reader types it, run with bash at the top of the repository, and
// the golden file in outputsDir that keeps what it printed, after "$ " and
// the command.
type recording struct {
	golden  string
	command string
	needs   []string // what the command needs: "chromium", "nginx", "curl", "linux"
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
		golden:  "polling-inside-test-it.txt",
		command: `go test -count=1 -run 'SlowClient|SSESlow|Stalled|Lost|CountsEveryByte' ./polling/...`,
	},
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
			command := r.command
			if r.quick != "" && !*update {
				command = r.quick
			}
			got := "$ " + r.command + "\n" + record(t, command, r)
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
func record(t *testing.T, command string, r recording) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", command)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if r.fails {
		require.Error(t, err, "%s should fail:\n%s", command, out)
	} else {
		require.NoError(t, err, "%s:\n%s", command, out)
	}
	text := string(out)
	if r.measured == nil {
		text = webtest.Normalise(text)
	} else {
		// Keep the measured numbers; only the ports and paths change.
		text = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(text, "127.0.0.1:PORT")
	}
	text = logTime.ReplaceAllString(text, "")
	if r.clean != nil {
		text = r.clean(text)
	}
	return text
}

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
