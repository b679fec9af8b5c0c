package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadTimings: a runner's record is believed; an absent, broken or
// implausible one is reported, never a crash, and left out.
func TestReadTimings(t *testing.T) {
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	rec := func(exercises string) []byte { return []byte(`{"exercises": {` + exercises + `}}`) }
	ok := `"01-a": {"first_run": "2026-12-02T09:00:00Z", "first_green": "2026-12-02T09:12:30Z", "runs": 4}`
	for _, tc := range []struct {
		name     string
		file     []byte
		status   string
		problem  string  // a part of the one problem reported
		minutes  float64 // 01-a's, if believed
		believed bool
	}{
		{name: "absent", status: "absent"},
		{name: "recorded", file: rec(ok), status: "recorded", minutes: 12.5, believed: true},
		{name: "started, not solved", file: rec(`"01-a": {"first_run": "2026-12-02T09:00:00Z", "runs": 2}`), status: "recorded", believed: true},
		{name: "an exercise not graded is no news", file: rec(ok + `, "02-b": {"runs": 0}`), status: "recorded", minutes: 12.5, believed: true},
		{name: "not JSON", file: []byte("{broken"), status: "unreadable", problem: "not the runner's"},
		{name: "a field the runner does not write", file: rec(`"01-a": {"first_run": "2026-12-02T09:00:00Z", "runs": 1, "minutes": 1}`), status: "unreadable", problem: "unknown field"},
		{name: "a time that is no time", file: rec(`"01-a": {"first_run": "yesterday", "runs": 1}`), status: "unreadable", problem: "not the runner's"},
		{name: "an exercise that is not one", file: rec(`"99-z": {"first_run": "2026-12-02T09:00:00Z", "runs": 1}`), status: "recorded", problem: "99-z: no such exercise"},
		{name: "no first run", file: rec(`"01-a": {"runs": 1}`), status: "recorded", problem: "01-a: no first run"},
		{name: "a null record", file: rec(`"01-a": null`), status: "recorded", problem: "01-a: no first run"},
		{name: "no runs", file: rec(`"01-a": {"first_run": "2026-12-02T09:00:00Z", "runs": 0}`), status: "recorded", problem: "01-a: 0 runs"},
		{name: "too many runs", file: rec(`"01-a": {"first_run": "2026-12-02T09:00:00Z", "runs": 1000000}`), status: "recorded", problem: "1000000 runs"},
		{name: "green before the first run", file: rec(`"01-a": {"first_run": "2026-12-02T09:00:00Z", "first_green": "2026-12-02T08:00:00Z", "runs": 2}`), status: "recorded", problem: "green before its first run"},
		{name: "in the future", file: rec(`"01-a": {"first_run": "2026-12-03T09:00:00Z", "runs": 2}`), status: "recorded", problem: "in the future"},
		{name: "green in the future", file: rec(`"01-a": {"first_run": "2026-12-02T09:00:00Z", "first_green": "2027-01-01T00:00:00Z", "runs": 2}`), status: "recorded", problem: "more than 14 days"},
		{name: "a month to green", file: rec(`"01-a": {"first_run": "2026-11-01T09:00:00Z", "first_green": "2026-12-01T09:00:00Z", "runs": 2}`), status: "recorded", problem: "more than 14 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := readTimings(&submission{timings: tc.file}, []string{"01-a"}, fixture, now)
			assert.Equal(t, tc.status, st.Status)
			if tc.problem != "" {
				require.Len(t, st.Problems, 1)
				assert.Contains(t, st.Problems[0], tc.problem)
			} else {
				assert.Empty(t, st.Problems)
			}
			r, believed := st.Exercises["01-a"]
			assert.Equal(t, tc.believed, believed)
			if tc.minutes != 0 {
				require.NotNil(t, r.Minutes)
				assert.Equal(t, tc.minutes, *r.Minutes)
			} else if believed {
				assert.Nil(t, r.Minutes, "not solved: no minutes")
			}
			_, other := st.Exercises["02-b"]
			assert.False(t, other, "only the exercises graded")
		})
	}
	st := readTimings(&submission{timingsWhy: "a link"}, []string{"01-a"}, fixture, now)
	assert.Equal(t, SubmissionTimings{Status: "absent", Problems: []string{"a link"}}, st)
}

// TestMedianAndP90 by hand.
func TestMedianAndP90(t *testing.T) {
	for _, tc := range []struct {
		xs          []float64
		median, p90 float64
	}{
		{[]float64{7}, 7, 7},
		{[]float64{10, 20}, 15, 20},
		{[]float64{30, 10, 20}, 20, 30},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5.5, 9},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 10},
	} {
		assert.Equal(t, tc.median, *median(tc.xs), "%v", tc.xs)
		assert.Equal(t, tc.p90, *p90(tc.xs), "%v", tc.xs)
	}
}

// TestClassTimings grades a class, each with a timings file of its own,
// and reads the measured minutes from timings.json and the table: only
// students the grade says solved an exercise count, and every timings
// file that is absent, broken or not believed is reported by name.
func TestClassTimings(t *testing.T) {
	wb := workbook(t)
	subs := t.TempDir()
	timing := func(first, green string, runs int) string {
		g := ""
		if green != "" {
			g = `, "first_green": "` + green + `"`
		}
		return `{"exercises": {"01-a": {"first_run": "` + first + `"` + g + `, "runs": ` + strconv.Itoa(runs) + `}}}`
	}
	write(t, filepath.Join(subs, "ada"), map[string]string{"01-a/f.go": solvedF, timingsName: timing("2026-11-30T09:00:00Z", "2026-11-30T09:10:00Z", 1)})
	write(t, filepath.Join(subs, "bob"), map[string]string{"01-a/f.go": solvedF, timingsName: timing("2026-11-30T09:00:00Z", "2026-11-30T09:30:00Z", 10)})
	write(t, filepath.Join(subs, "cy"), map[string]string{"01-a/f.go": solvedF, timingsName: timing("2026-11-30T09:00:00Z", "2026-11-30T08:00:00Z", 1)})
	write(t, filepath.Join(subs, "dee"), map[string]string{"01-a/f.go": wrongF, timingsName: timing("2026-11-30T09:00:00Z", "2026-11-30T09:01:00Z", 1)})
	write(t, filepath.Join(subs, "eve"), map[string]string{"01-a/f.go": solvedF, timingsName: "\x00not json"})
	write(t, filepath.Join(subs, "fay"), map[string]string{"01-a/f.go": solvedF})
	var names []string
	for _, n := range []string{"ada", "bob", "cy", "dee", "eve", "fay"} {
		names = append(names, filepath.Join(subs, n))
	}
	out := filepath.Join(t.TempDir(), "grades")
	var table, log bytes.Buffer
	require.NoError(t, run(t.Context(), &table, &log, options{workbook: wb, out: out, only: "01", limit: 30 * time.Second, submissions: names}))

	data, err := os.ReadFile(filepath.Join(out, "timings.json"))
	require.NoError(t, err)
	var doc struct {
		Exercises   []ClassTiming
		Submissions []struct{ Submission, Status string }
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Len(t, doc.Exercises, 1)
	c := doc.Exercises[0]
	assert.Equal(t, "01-a", c.Exercise)
	assert.Equal(t, 5, c.Finished, "ada, bob, cy, eve and fay solved it; dee did not")
	assert.Equal(t, 2, c.Timed, "ada and bob have believable timings")
	require.NotNil(t, c.Median)
	assert.Equal(t, 20.0, *c.Median)
	assert.Equal(t, 30.0, *c.P90)
	assert.Equal(t, 5.5, *c.Runs, "1 and 10 checks")
	assert.Equal(t, "absent", doc.Submissions[5].Status)
	assert.Equal(t, "unreadable", doc.Submissions[4].Status)

	s := table.String()
	assert.Contains(t, s, "| exercise | estimate | finished | timed | median to green | p90 | median checks |")
	assert.Contains(t, s, "| 01 | 0 min | 5 of 6 | 2 | 20.0 min | 30.0 min | 5.5 |")
	assert.Contains(t, s, "cy: timings not believed: 01-a: green before its first run")
	assert.Contains(t, s, "dee: timings not believed: 01-a: green in the runner, not in the grade")
	assert.Contains(t, s, "eve: timings unreadable (not the runner's .timings.json")
	assert.Contains(t, s, "fay: timings absent")
	md, err := os.ReadFile(filepath.Join(out, "summary.md"))
	require.NoError(t, err)
	assert.Equal(t, s, string(md))
}

// TestATimingsFileThatIsALinkIsNotRead: a link in place of the record is
// not followed, and said so.
func TestATimingsFileThatIsALinkIsNotRead(t *testing.T) {
	src := t.TempDir()
	write(t, src, map[string]string{"01-a/f.go": solvedF})
	if err := os.Symlink("/etc/passwd", filepath.Join(src, timingsName)); err != nil {
		t.Skipf("cannot make a link here: %v", err)
	}
	s, err := readSubmission(src, []string{"01-a"})
	require.NoError(t, err)
	assert.Nil(t, s.timings)
	st := readTimings(s, []string{"01-a"}, fixture, time.Now())
	assert.Equal(t, "absent", st.Status)
	assert.Equal(t, []string{".timings.json is not a plain file of at most 1 MiB"}, st.Problems)
}
