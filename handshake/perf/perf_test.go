package main

import (
	"bytes"
	"testing"
	"time"

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
	r := results{
		names: []string{"raw TCP echo", "by hand", "gorilla", "x/net"},
		rtt: map[string][]time.Duration{
			"raw TCP echo": ms(10, 10, 10), "by hand": ms(14, 14, 14), "gorilla": ms(16, 16, 16), "x/net": ms(25, 25, 25),
		},
		roundRTT: map[string][]time.Duration{
			"raw TCP echo": ms(10, 20, 10, 10, 10), "by hand": ms(11, 20, 12, 13, 14), "gorilla": ms(16, 32, 16, 16, 16), "x/net": ms(25, 50, 25, 25, 25),
		},
		throughput: map[string][]float64{"raw TCP echo": {100}, "by hand": {90}, "gorilla": {80}, "x/net": {70}},
		idle:       map[string]map[int]float64{"by hand": {1000: 13 * 1024, 10000: 7 * 1024}},
		idleErr:    map[string]map[int]string{"x/net": {1000: "too many open files"}},
	}
	var out bytes.Buffer
	writeReport(&out, config{rounds: 1, trips: 3, conns: 100, window: time.Second, idle: []int{1000}, setup: "pinned to CPU 1"}, "a test machine", r)
	s := out.String()
	assert.Contains(t, s, "Measured on a test machine; pinned to CPU 1.")
	assert.Contains(t, s, "| ÷ raw TCP per round: median (middle half) | 1.00× (1.00–1.00) | 1.20× (1.10–1.30) | 1.60× (1.60–1.60) | 2.50× (2.50–2.50) |")
	assert.Contains(t, s, "| median ÷ raw TCP | 1.00× | 1.40× | 1.60× | 2.50× |")
	assert.Contains(t, s, "not measured: too many open files")
	assert.Contains(t, s, "| by hand: median round trip ≤ 1.5× raw TCP | 1.40× | yes |")
	assert.Contains(t, s, "| gorilla: median round trip ≤ 1.5× raw TCP | 1.60× | no |")
	assert.Contains(t, s, "| x/net: median round trip ≤ 2.0× raw TCP | 2.50× | no |")
	assert.Contains(t, s, "| by hand: ≤ 6 KiB per idle connection at 10,000 connections | 7.0 KiB | no |")
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
