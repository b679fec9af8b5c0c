package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// timingsName is the runner's record of when each exercise was started
// and solved (check/timings.go), at the top of a handout and of the file
// `check -pack` writes.
const timingsName = ".timings.json"

// Bounds past which a timing is not believed: no exercise takes a student
// two weeks of wall time, nor a hundred thousand checks.
const (
	maxMinutes = 14 * 24 * 60
	maxRuns    = 100000
)

// ExerciseTiming is one exercise's record, as the runner wrote it, with
// the minutes from its first check to its first pass.
type ExerciseTiming struct {
	FirstRun   time.Time  `json:"first_run"`
	FirstGreen *time.Time `json:"first_green,omitempty"`
	Runs       int        `json:"runs"`
	Minutes    *float64   `json:"minutes_to_green,omitempty"`
}

// SubmissionTimings is what a submission's timings file says, checked.
type SubmissionTimings struct {
	// Status is "recorded", "absent" (no file: the student never ran the
	// runner, or handed in a folder without it) or "unreadable".
	Status string `json:"status"`
	// Problems says what was not believed, and why; those records are left
	// out of Exercises.
	Problems []string `json:"problems,omitempty"`
	// Exercises are the believable records of the exercises graded.
	Exercises map[string]ExerciseTiming `json:"exercises,omitempty"`
}

// runnerTimings is the file's shape (check/timings.go's Timings).
type runnerTimings struct {
	Exercises map[string]*ExerciseTiming `json:"exercises"`
}

// readTimings checks the submission's timings file against the exercises
// graded (chosen) and the workbook's (all), at the time now.
func readTimings(s *submission, chosen, all []string, now time.Time) SubmissionTimings {
	if s.timings == nil {
		st := SubmissionTimings{Status: "absent"}
		if s.timingsWhy != "" {
			st.Problems = []string{s.timingsWhy}
		}
		return st
	}
	var file runnerTimings
	dec := json.NewDecoder(bytes.NewReader(s.timings))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return SubmissionTimings{Status: "unreadable", Problems: []string{"not the runner's " + timingsName + ": " + err.Error()}}
	}
	st := SubmissionTimings{Status: "recorded", Exercises: map[string]ExerciseTiming{}}
	names := make([]string, 0, len(file.Exercises))
	for ex := range file.Exercises {
		names = append(names, ex)
	}
	slices.Sort(names)
	for _, ex := range names {
		t := file.Exercises[ex]
		why := ""
		switch {
		case !slices.Contains(all, ex):
			why = "no such exercise"
		case !slices.Contains(chosen, ex):
			continue // not graded here: no news
		case t == nil || t.FirstRun.IsZero():
			why = "no first run"
		case t.Runs < 1 || t.Runs > maxRuns:
			why = fmt.Sprintf("%d runs", t.Runs)
		case t.FirstRun.After(now.Add(time.Hour)):
			why = "a first run in the future"
		case t.FirstGreen != nil && t.FirstGreen.Before(t.FirstRun):
			why = "green before its first run"
		case t.FirstGreen != nil && t.FirstGreen.Sub(t.FirstRun) > maxMinutes*time.Minute:
			why = fmt.Sprintf("more than %d days to green", maxMinutes/24/60)
		case t.FirstGreen != nil && t.FirstGreen.After(now.Add(time.Hour)):
			why = "a first green in the future"
		}
		if why != "" {
			st.Problems = append(st.Problems, fmt.Sprintf("%s: %s", cell(ex), why))
			continue
		}
		if t.FirstGreen != nil {
			m := math.Round(t.FirstGreen.Sub(t.FirstRun).Minutes()*10) / 10
			t.Minutes = &m
		}
		st.Exercises[ex] = *t
	}
	return st
}

// ClassTiming is one exercise's measured minutes over a class: from the
// runner's first check of it to its first pass, of the students whose
// grade says they solved it.
type ClassTiming struct {
	Exercise string `json:"exercise"`
	// Estimate is the minutes the exercise's README gives (the authors'
	// estimate, which the course plan uses).
	Estimate int `json:"estimate_minutes"`
	// Finished counts the submissions the grade says solved it; Timed those
	// of them with a believable record of when.
	Finished int      `json:"finished"`
	Timed    int      `json:"timed"`
	Median   *float64 `json:"median_minutes,omitempty"`
	P90      *float64 `json:"p90_minutes,omitempty"`
	// Runs is the median number of checks to green.
	Runs *float64 `json:"median_runs,omitempty"`
}

// classTimings measures each exercise over the grades.
func classTimings(workbook string, exercises []string, grades []Grade) []ClassTiming {
	out := []ClassTiming{}
	for i, ex := range exercises {
		c := ClassTiming{Exercise: ex, Estimate: estimate(workbook, ex)}
		var minutes, runs []float64
		for _, g := range grades {
			if i >= len(g.Exercises) || !g.Exercises[i].Passed {
				continue
			}
			c.Finished++
			if t, ok := g.Timings.Exercises[ex]; ok && t.Minutes != nil {
				c.Timed++
				minutes = append(minutes, *t.Minutes)
				runs = append(runs, float64(t.Runs))
			}
		}
		if len(minutes) > 0 {
			c.Median, c.P90, c.Runs = median(minutes), p90(minutes), median(runs)
		}
		out = append(out, c)
	}
	return out
}

// median is the middle value of xs (the mean of the middle two for an
// even count), rounded to 0.1.
func median(xs []float64) *float64 {
	s := slices.Sorted(slices.Values(xs))
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	m = math.Round(m*10) / 10
	return &m
}

// p90 is the 90th percentile of xs by the nearest rank: the smallest value
// at least 90% of them do not exceed.
func p90(xs []float64) *float64 {
	s := slices.Sorted(slices.Values(xs))
	v := s[int(math.Ceil(0.9*float64(len(s))))-1]
	return &v
}

// timeLine is an exercise README's estimate.
var timeLine = regexp.MustCompile(`Time: (\d+) minutes\.`)

// estimate is the minutes ex's README gives, or 0.
func estimate(workbook, ex string) int {
	data, err := os.ReadFile(filepath.Join(workbook, ex, "README.md"))
	if err != nil {
		return 0
	}
	m := timeLine.FindSubmatch(data)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// timingsTable is the class's measured minutes in Markdown, and what was
// not believed, by submission.
func timingsTable(class []ClassTiming, grades []Grade) string {
	var b strings.Builder
	b.WriteString("\n| exercise | estimate | finished | timed | median to green | p90 | median checks |\n|---|---|---|---|---|---|---|\n")
	minutes := func(m *float64) string {
		if m == nil {
			return "–"
		}
		return strconv.FormatFloat(*m, 'f', 1, 64) + " min"
	}
	for _, c := range class {
		number, _, _ := strings.Cut(c.Exercise, "-")
		checks := "–"
		if c.Runs != nil {
			checks = strconv.FormatFloat(*c.Runs, 'f', -1, 64)
		}
		fmt.Fprintf(&b, "| %s | %d min | %d of %d | %d | %s | %s | %s |\n", number, c.Estimate, c.Finished, len(grades), c.Timed, minutes(c.Median), minutes(c.P90), checks)
	}
	for _, g := range grades {
		switch {
		case g.Timings.Status != "recorded":
			fmt.Fprintf(&b, "\n%s: timings %s", cell(g.Submission), g.Timings.Status)
			if len(g.Timings.Problems) > 0 {
				fmt.Fprintf(&b, " (%s)", cell(strings.Join(g.Timings.Problems, "; ")))
			}
			b.WriteString("\n")
		case len(g.Timings.Problems) > 0:
			fmt.Fprintf(&b, "\n%s: timings not believed: %s\n", cell(g.Submission), cell(strings.Join(g.Timings.Problems, "; ")))
		}
	}
	return b.String()
}

// writeTimings writes the class's timings and each submission's status
// as JSON to path.
func writeTimings(path string, class []ClassTiming, grades []Grade) error {
	type sub struct {
		Submission string   `json:"submission"`
		Status     string   `json:"status"`
		Problems   []string `json:"problems,omitempty"`
	}
	doc := struct {
		Exercises   []ClassTiming `json:"exercises"`
		Submissions []sub         `json:"submissions"`
	}{Exercises: class, Submissions: []sub{}}
	for _, g := range grades {
		doc.Submissions = append(doc.Submissions, sub{g.Submission, g.Timings.Status, g.Timings.Problems})
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
