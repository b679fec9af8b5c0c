package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/exercises/internal/classroom"
)

// TestTheCoursePlansExampleIsACommittedRun: the measured minutes the
// course plan shows are the grader's output on a committed record of the
// runner (testdata/self-timed: an automated helper's own timings of
// session 2, solving from the stubs), and computing them again from that
// record gives the same table.
func TestTheCoursePlansExampleIsACommittedRun(t *testing.T) {
	record, err := os.ReadFile("testdata/self-timed/runner-timings.json")
	require.NoError(t, err)
	printed, err := os.ReadFile("testdata/self-timed/summary.md")
	require.NoError(t, err)
	all, err := classroom.Exercises("..")
	require.NoError(t, err)
	session, err := classroom.SessionExercises(all, "2")
	require.NoError(t, err)

	// The grade the run printed: its row of ✓ and ✗.
	row := regexp.MustCompile(`(?m)^\| helper \|(.*)\| \d+ of \d+ \|$`).FindStringSubmatch(string(printed))
	require.NotNil(t, row, "the committed output has helper's row")
	marks := strings.Split(strings.TrimSpace(row[1]), " | ")
	require.Len(t, marks, len(session))
	g := Grade{Submission: "helper", Timings: readTimings(&submission{timings: record}, session, all, time.Now())}
	for i, ex := range session {
		g.Exercises = append(g.Exercises, Result{Exercise: ex, Passed: marks[i] == "✓"})
	}
	assert.Empty(t, g.Timings.Problems)
	table := timingsTable(classTimings("..", session, []Grade{g}), []Grade{g})
	assert.True(t, strings.HasSuffix(string(printed), table), "the record gives the table printed:\n%s", table)

	plan, err := os.ReadFile("../../chapters/course-plan.md")
	require.NoError(t, err)
	include := "{{#include ../exercises/grade/testdata/self-timed/summary.md}}"
	assert.True(t, strings.Contains(string(plan), include), "the course plan shows the committed output: %s", include)
}
