package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/websocket-in-go/workbook/handshake/conformance"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPercentile(t *testing.T) {
	samples := sortedCopy([]time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6})
	cases := []struct {
		p    float64
		want time.Duration
	}{
		{0, 1}, {10, 1}, {50, 5}, {90, 9}, {99, 10}, {100, 10},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, percentile(samples, tc.p), "p%v", tc.p)
	}
	assert.Zero(t, percentile(nil, 50))
}

func TestParseRSS(t *testing.T) {
	cases := []struct {
		name   string
		status string
		want   int64
		err    bool
	}{
		{"a real line", "Name:\tperf\nVmPeak:\t  9000 kB\nVmRSS:\t   1234 kB\nThreads:\t5\n", 1234 * 1024, false},
		{"no VmRSS", "Name:\tperf\n", 0, true},
		{"not kB", "VmRSS:\t12 MB\n", 0, true},
		{"not a number", "VmRSS:\tmany kB\n", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseRSS(tc.status)
			if tc.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestReportAgainstGoals(t *testing.T) {
	ms := func(d ...time.Duration) []time.Duration { return d }
	const µs = time.Microsecond
	r := results{
		names: []string{"raw TCP echo", "by hand", "gorilla", "x/net"},
		rtt: map[string][]time.Duration{
			"raw TCP echo": ms(10*µs, 10*µs, 10*µs), "by hand": ms(14*µs, 14*µs, 14*µs), "gorilla": ms(16*µs, 16*µs, 16*µs), "x/net": ms(25*µs, 25*µs, 25*µs),
		},
		roundRTT: map[string][]time.Duration{
			"raw TCP echo": ms(10, 20, 10, 10, 10), "by hand": ms(11, 20, 12, 13, 14), "gorilla": ms(16, 32, 16, 16, 16), "x/net": ms(25, 50, 25, 25, 25),
		},
		throughput: map[string][]float64{"raw TCP echo": {100}, "by hand": {96}, "gorilla": {80}, "x/net": {70}},
		perCPU:     map[string][]float64{"raw TCP echo": {200}, "by hand": {180}},
		serverCPU:  map[string][]float64{"raw TCP echo": {2.5}, "by hand": {3.1, 2.9, 3.3}},
		bulk:       map[string][]float64{"raw TCP echo": {1000, 1200, 1100}, "by hand": {500, 400, 450}},
		idle:       map[string]map[int]float64{"by hand": {1000: 13 * 1024, 10000: 7 * 1024}},
		idleErr:    map[string]map[int]string{"x/net": {1000: "too many open files"}},
	}
	var out bytes.Buffer
	writeReport(&out, config{rounds: 1, trips: 3, conns: 100, window: time.Second, idle: []int{1000}, setup: "pinned to CPU 1",
		notes: []string{"nbio: not measured, it did not build"}}, "a test machine", r)
	s := out.String()
	assert.Contains(t, s, "Measured on a test machine; pinned to CPU 1.")
	assert.Contains(t, s, "| server | round trip, 32 bytes: median | p99 | "+ratioColumn+" | messages per second, 100 connections | messages per CPU-second | "+colServerCPU+" | 64 KiB echo, MB/s | KiB per idle connection, 1,000 |")
	assert.Contains(t, s, "| by hand | 14.0 µs | 14.0 µs | 1.20× (1.10–1.30) | 96 | 180 | 3.1 | 450 | 13.0 |")
	assert.Contains(t, s, "| x/net | 25.0 µs | 25.0 µs | 2.50× (2.50–2.50) | 70 | 0 | — | 0 | not measured: too many open files |")
	assert.Contains(t, s, "- nbio: not measured, it did not build")
	assert.Contains(t, s, "| by hand: round trip ≤ 1.50× raw TCP | 1.20× | yes |")
	assert.Contains(t, s, "| gorilla: round trip ≤ 1.50× raw TCP | 1.60× | no |")
	assert.Contains(t, s, "| x/net: round trip ≤ 2.00× raw TCP | 2.50× | no |")
	assert.Contains(t, s, "| by hand: ≤ 6 KiB per idle connection at 10,000 connections | 7.0 KiB | no |")
	assert.Contains(t, s, "| by hand: round trip ≤ 1.05× raw TCP | 1.20× | no |")
	assert.Contains(t, s, "| by hand: messages per CPU-second, 100 connections ≥ 0.95× raw TCP | 0.90× | no |")
	assert.Contains(t, s, "| by hand: 64 KiB echo, MB/s ≥ 0.80× raw TCP | 0.41× | no |")

	// What the report prints, -compare reads back.
	ratios, names, err := parseRatios(s)
	require.NoError(t, err)
	assert.Equal(t, []string{"raw TCP echo", "by hand", "gorilla", "x/net"}, names)
	assert.Equal(t, map[string]float64{"raw TCP echo": 1, "by hand": 1.2, "gorilla": 1.6, "x/net": 2.5}, ratios)
}

func TestAgree(t *testing.T) {
	order := []string{"a", "b", "c"}
	cases := []struct {
		name  string
		runs  []map[string]float64
		agree bool
		says  string
	}{
		{"within ±0.03", []map[string]float64{{"a": 1.05, "b": 1.10, "c": 1.30}, {"a": 1.07, "b": 1.12, "c": 1.27}, {"a": 1.04, "b": 1.09, "c": 1.30}}, true, "| a | 1.05× | 1.07× | 1.04× | 1.05× | 0.020 | yes |"},
		{"one run 0.04 off", []map[string]float64{{"a": 1.05, "b": 1.10, "c": 1.30}, {"a": 1.05, "b": 1.14, "c": 1.30}, {"a": 1.05, "b": 1.10, "c": 1.30}}, false, "| b | 1.10× | 1.14× | 1.10× | 1.10× | 0.040 | no |"},
		{"close ones may swap", []map[string]float64{{"a": 1.05, "b": 1.07, "c": 1.30}, {"a": 1.07, "b": 1.05, "c": 1.30}, {"a": 1.06, "b": 1.06, "c": 1.30}}, true, "Same order in every run (a tie is closer than 0.06): yes"},
		{"a missing server", []map[string]float64{{"a": 1.05, "b": 1.10, "c": 1.30}, {"a": 1.05, "b": 1.10}, {"a": 1.05, "b": 1.10, "c": 1.30}}, false, "no: missing from a run"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			assert.Equal(t, tc.agree, agree(&out, tc.runs, order))
			assert.Contains(t, out.String(), tc.says)
		})
	}
	// Far apart and swapped: the order differs, even with a tolerance so
	// wide that every ratio is within it.
	var out bytes.Buffer
	runs := []map[string]float64{{"a": 1.0, "b": 1.2}, {"a": 1.2, "b": 1.0}}
	assert.False(t, agree(&out, runs, []string{"a", "b"}))
	assert.Contains(t, out.String(), "a and b swap places")
}

func TestParseRatiosRefusesOtherTables(t *testing.T) {
	_, _, err := parseRatios("| server | speed |\n| --- | --- |\n| a | 1.0× |\n")
	assert.ErrorContains(t, err, "no table with a column")
	_, _, err = parseRatios("| server | " + ratioColumn + " |\n| --- | --- |\n| a | fast |\n")
	assert.ErrorContains(t, err, `a: no ratio in "fast"`)
}

// TestCommittedRunsAgree holds the three committed runs to issue 17's
// promise: the same order of servers, ratios within ±0.03.
func TestCommittedRunsAgree(t *testing.T) {
	var out bytes.Buffer
	err := compareFiles(&out, []string{"results-run1.md", "results-run2.md", "results-run3.md"})
	assert.NoError(t, err, "go run ./handshake/perf -compare handshake/perf/results-run?.md:\n%s", out.String())
}

func TestParseCPULine(t *testing.T) {
	idle, total, err := parseCPULine("cpu  100 5 50 800 45 0 0 0 0 0\ncpu0 1 2 3 4 5\n")
	require.NoError(t, err)
	assert.Equal(t, uint64(845), idle, "idle + iowait")
	assert.Equal(t, uint64(1000), total)
	for _, bad := range []string{"", "intr 1 2 3", "cpu  1 2 x 4"} {
		_, _, err := parseCPULine(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestSpread(t *testing.T) {
	assert.Equal(t, "not measured", spread(nil))
	assert.Equal(t, "1.05× (1.02–1.08)", spread([]float64{1.00, 1.02, 1.05, 1.08, 1.20}))
}

func TestParseSchedstat(t *testing.T) {
	got, err := parseSchedstat("210706846 43756256 655\n")
	require.NoError(t, err)
	assert.Equal(t, 210706846*time.Nanosecond, got)
	for _, bad := range []string{"", "1 2", "x 2 3"} {
		_, err := parseSchedstat(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestCPUTimeOfThisProcess(t *testing.T) {
	before, err := cpuTime(0)
	require.NoError(t, err)
	x := 0
	for i := range 50_000_000 { // some work on the CPU
		x += i
	}
	after, err := cpuTime(0)
	require.NoError(t, err)
	assert.Greater(t, after, before, "%d", x)
}

func TestUnsteadyServersAreShownNotHeld(t *testing.T) {
	name := "nbio v1.6.8 (epoll)"
	require.Contains(t, unsteady, name)
	runs := []map[string]float64{{"a": 1.05, name: 3.4}, {"a": 1.05, name: 3.6}, {"a": 1.06, name: 3.5}}
	var out bytes.Buffer
	assert.True(t, agree(&out, runs, []string{"a", name}))
	assert.Contains(t, out.String(), "| "+name+" | 3.40× | 3.60× | 3.50× | 3.50× | 0.100 | not held to it (below) |")
	assert.Contains(t, out.String(), "\n"+name+" is not held to it: nbio hands")
}

func TestWrap(t *testing.T) {
	assert.Equal(t, "one two\n  three\n  four", wrap("one two three four", 8, "  "))
	assert.Equal(t, "a\nlongerword", wrap("a longerword", 5, ""), "a long word stays whole")
	assert.Equal(t, "× ×", wrap("× ×", 3, ""), "columns are runes, not bytes")
}

// TestCommittedAgreementIsWhatCompareWrites: agreement.md, which the
// chapter shows, is -compare's output on the three committed runs.
func TestCommittedAgreementIsWhatCompareWrites(t *testing.T) {
	want, err := os.ReadFile("agreement.md")
	require.NoError(t, err)
	t.Chdir("../..") // the command runs at the top, and names the files from there
	var out bytes.Buffer
	runs := []string{"handshake/perf/results-run1.md", "handshake/perf/results-run2.md", "handshake/perf/results-run3.md"}
	require.NoError(t, compareFiles(&out, runs))
	assert.Equal(t, string(want), out.String(),
		"go run ./handshake/perf -compare %s > handshake/perf/agreement.md", strings.Join(runs, " "))
}

func TestStatisticsRoundTrip(t *testing.T) {
	ms := func(d ...time.Duration) []time.Duration { return d }
	r := results{
		names:  []string{"raw TCP echo", "a"},
		rtt:    map[string][]time.Duration{"raw TCP echo": ms(10, 20), "a": ms(12, 30)},
		blocks: map[string][][]time.Duration{"raw TCP echo": {ms(10, 20)}, "a": {ms(12, 30)}},
	}
	var out bytes.Buffer
	writeStatistics(&out, r)
	stats, labels := parseStatistics(out.String())
	require.Len(t, labels, 8)
	assert.Equal(t, "fastest of each round, paired by round", labels[0])
	assert.InDelta(t, 1.2, stats[labels[0]]["a"], 1e-9)
	assert.InDelta(t, 1.2, stats["p50 of all round trips, pooled"]["a"], 1e-9, "nearest rank: the first of 2")

	var agreement bytes.Buffer
	writeStatisticsAgreement(&agreement, []map[string]map[string]float64{stats, {labels[0]: {"a": 1.3}}}, labels[:1], []string{"a"})
	assert.Contains(t, agreement.String(), "| fastest of each round, paired by round | 0.050 | a |")
}

func TestWriteConformance(t *testing.T) {
	results := map[string]conformance.Result{}
	for _, c := range conformance.Cases() {
		results[c.ID] = conformance.Result{Outcome: conformance.Pass}
	}
	results["1.1"] = conformance.Result{Outcome: conformance.Fail, Detail: "no echo | none"}
	var out bytes.Buffer
	writeConformance(&out, []string{"x"}, []map[string]conformance.Result{results}, []string{"y is x with other flags, not run again."})
	s := out.String()
	assert.Contains(t, s, fmt.Sprintf("| x | %d | 0 | 1 |", len(conformance.Cases())-1))
	assert.Contains(t, s, "| 1.1 framing: text, 0 bytes | x | fail: no echo \\| none |")
	assert.Contains(t, s, "y is x with other flags")
	assert.Equal(t, 1, strings.Count(s, "| x | fail"), "only the case that did not pass has a row")
}

func TestShare(t *testing.T) {
	ds := []time.Duration{5, 15, 15, 25}
	cases := []struct {
		lo, hi time.Duration
		want   string
	}{{0, 10, "25%"}, {10, 20, "50%"}, {20, 30, "25%"}, {30, 40, "0%"}}
	for _, tc := range cases {
		assert.Equal(t, tc.want, share(ds, tc.lo, tc.hi), "[%v, %v)", tc.lo, tc.hi)
	}
	assert.Equal(t, "—", share(nil, 0, 10))
}

// TestProseIsGenerated: prose.md, the chapter's sentences with numbers,
// is what writeProse makes of the committed runs. A run committed without
// `go run ./handshake/perf -prose` afterwards fails here.
func TestProseIsGenerated(t *testing.T) {
	p, err := readProseRuns(".")
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, writeProse(&b, p))
	committed, err := os.ReadFile(proseFile)
	require.NoError(t, err, "go run ./handshake/perf -prose")
	assert.Equal(t, b.String(), string(committed), "go run ./handshake/perf -prose")
}

// TestProseReadsTheRuns: the sentences carry the runs' numbers, and change
// with them: a report whose by-hand 64 KiB echo doubles says so.
func TestProseReadsTheRuns(t *testing.T) {
	p, err := readProseRuns(".")
	require.NoError(t, err)
	var before strings.Builder
	require.NoError(t, writeProse(&before, p))
	assert.Contains(t, before.String(), p.quiet.cells[byHand][colBulk]+" MB/s")
	assert.Contains(t, before.String(), p.pinned[0].busy)

	p.quiet.cells[byHand][colBulk] = "3000"
	var after strings.Builder
	require.NoError(t, writeProse(&after, p))
	assert.Contains(t, after.String(), "64 KiB echo is 3,000 MB/s")
	assert.Contains(t, after.String(), "the fastest WebSocket server at this size")

	delete(p.quiet.cells[byHand], colBulk)
	assert.Error(t, writeProse(io.Discard, p), "a missing number is an error, not a zero")
}

// TestTenthsHasNoNegativeZero: an RSS growth that rounds to nothing reads
// 0.0, not -0.0; everything else keeps its sign and one decimal.
func TestTenthsHasNoNegativeZero(t *testing.T) {
	for v, want := range map[float64]string{-0.04: "0.0", math.Copysign(0, -1): "0.0", 0.04: "0.0", 5.66: "5.7", -0.3: "-0.3", 1.05: "1.1"} {
		assert.Equal(t, want, tenths(v), "tenths(%v)", v)
	}
}

// TestProseShowsTheServersOwnCPU: the server-cpu sentence is run 1's column,
// least first, with each server's ratio to raw TCP's, and a run without the
// column is an error, not a sentence with nothing in it.
func TestProseShowsTheServersOwnCPU(t *testing.T) {
	p, err := readProseRuns(".")
	require.NoError(t, err)
	run1 := p.pinned[0]
	run1.cells[rawTCP][colServerCPU] = "10.0"
	run1.cells[byHand][colServerCPU] = "5.0"
	var out strings.Builder
	require.NoError(t, writeProse(&out, p))
	assert.Contains(t, out.String(), "least first: the by-hand server 5.0 µs (0.50×), raw TCP echo 10.0 µs")

	for _, cells := range run1.cells {
		delete(cells, colServerCPU)
	}
	assert.Error(t, writeProse(io.Discard, p))
}

// TestProseSumsProductionMemory: production.md's sum is 100,000 times run
// 1's KiB per idle connection at 10,000, in decimal gigabytes.
func TestProseSumsProductionMemory(t *testing.T) {
	p, err := readProseRuns(".")
	require.NoError(t, err)
	p.pinned[0].cells[byHand][colIdle10] = "10.0"
	p.pinned[0].cells["gorilla"][colIdle10] = "20.0"
	var out strings.Builder
	require.NoError(t, writeProse(&out, p))
	assert.Contains(t, out.String(), "that would be 1.02 GB against 2.05 GB (100,000 × 10.0 KiB, and × 20.0 KiB)")
	assert.Contains(t, out.String(), "costs it 20.0 KiB at 10,000 (the by-hand one 10.0)")
}
