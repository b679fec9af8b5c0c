package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecord: the clock of an exercise starts at its first check alone,
// stops at its first pass, and every check counts; -all starts no clock.
func TestRecord(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	green := func(min int) *time.Time { g := at(min); return &g }
	type check struct {
		start, end int
		passed     bool
		starts     bool
	}
	for _, tc := range []struct {
		name   string
		checks []check
		want   *Timing
	}{
		{"never checked", nil, nil},
		{"red", []check{{0, 1, false, true}}, &Timing{FirstRun: at(0), Runs: 1}},
		{"red, red, green", []check{{0, 1, false, true}, {5, 6, false, true}, {20, 21, true, true}}, &Timing{FirstRun: at(0), FirstGreen: green(21), Runs: 3}},
		{"green stays the first green", []check{{0, 1, true, true}, {5, 6, false, true}, {9, 10, true, true}}, &Timing{FirstRun: at(0), FirstGreen: green(1), Runs: 3}},
		{"-all starts no clock", []check{{0, 1, true, false}}, nil},
		{"-all counts a started one", []check{{0, 1, false, true}, {3, 4, true, false}}, &Timing{FirstRun: at(0), FirstGreen: green(4), Runs: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm := &Timings{Exercises: map[string]*Timing{}}
			for _, c := range tc.checks {
				tm.record("01-a", at(c.start), at(c.end), c.passed, c.starts)
			}
			assert.Equal(t, tc.want, tm.Exercises["01-a"])
		})
	}
}

// TestCheckRecordsTimingsAndPackHandsThemIn: the runner's checks write
// .timings.json, a broken one is a fresh start, and -pack puts it in the
// file handed in.
func TestCheckRecordsTimingsAndPackHandsThemIn(t *testing.T) {
	fresh := tinyExercises(t)
	var out bytes.Buffer
	require.ErrorIs(t, run(t.Context(), &out, fresh, options{all: true}), errUnsolved)
	assert.Empty(t, loadTimings(fresh).Exercises, "-all starts no clock")

	root := tinyExercises(t)
	before := time.Now().UTC().Truncate(time.Second)
	require.ErrorIs(t, run(t.Context(), &out, root, options{}), errUnsolved)
	require.ErrorIs(t, run(t.Context(), &out, root, options{}), errUnsolved)
	tm := loadTimings(root)
	require.Len(t, tm.Exercises, 2)
	a, b := tm.Exercises["01-a"], tm.Exercises["02-b"]
	require.NotNil(t, a.FirstGreen)
	assert.False(t, a.FirstRun.Before(before))
	assert.False(t, a.FirstGreen.Before(a.FirstRun))
	assert.Equal(t, 1, a.Runs, "a solved exercise is not checked again by a plain check")
	assert.Nil(t, b.FirstGreen)
	assert.Equal(t, 2, b.Runs)
	require.ErrorIs(t, run(t.Context(), &out, root, options{all: true}), errUnsolved)
	tm = loadTimings(root)
	assert.Equal(t, 2, tm.Exercises["01-a"].Runs, "-all counts the checks of exercises started")
	assert.Equal(t, 3, tm.Exercises["02-b"].Runs)

	out.Reset()
	require.NoError(t, run(t.Context(), &out, root, options{pack: true, as: "ada"}))
	assert.Contains(t, out.String(), "and .timings.json")
	f, err := os.Open(filepath.Join(root, "submission-ada.tar.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(zr)
	found := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if h.Name == timingsFile {
			data, err := io.ReadAll(tr)
			require.NoError(t, err)
			var packed Timings
			require.NoError(t, json.Unmarshal(data, &packed))
			assert.Equal(t, tm, &packed, "the timings handed in are the runner's")
			found = true
		}
	}
	assert.True(t, found, "the pack holds the timings")

	require.NoError(t, os.WriteFile(filepath.Join(root, timingsFile), []byte("{broken"), 0o644))
	require.ErrorIs(t, run(t.Context(), &out, root, options{}), errUnsolved, "a broken file is no crash")
	assert.Equal(t, 1, loadTimings(root).Exercises["02-b"].Runs, "and a fresh start")
}
