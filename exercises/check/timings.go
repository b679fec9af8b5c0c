package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// timingsFile is where the runner records, per exercise, when it was
// first tested, when it first passed and how many times it was tested:
// the measurement behind the course plan's minutes. It sits next to
// go.mod, is kept out of git (it changes on every check) and goes into
// the file -pack writes, from which `go run ./grade` reads the class's
// minutes-to-green.
const timingsFile = ".timings.json"

// Timing is one exercise's record.
type Timing struct {
	// FirstRun is when the runner first tested the exercise alone (the
	// current one, or one picked by number): when the student started it.
	FirstRun time.Time `json:"first_run"`
	// FirstGreen is when it first passed; nil until then.
	FirstGreen *time.Time `json:"first_green,omitempty"`
	// Runs counts the checks of the exercise, each save under -watch too.
	Runs int `json:"runs"`
}

// Timings is what timingsFile holds.
type Timings struct {
	Exercises map[string]*Timing `json:"exercises"`
}

// loadTimings reads root's timings; a missing or broken file is a fresh
// start (the grader says so of a broken one it is handed).
func loadTimings(root string) *Timings {
	t := &Timings{}
	if data, err := os.ReadFile(filepath.Join(root, timingsFile)); err == nil {
		_ = json.Unmarshal(data, t)
	}
	if t.Exercises == nil {
		t.Exercises = map[string]*Timing{}
	}
	return t
}

// record notes a check of ex that began at start and ended at end, green
// if passed. start says whether this check may start the exercise's
// clock: a check of one exercise does, -all does not (testing every
// exercise at once is not starting each), and only counts the checks of
// exercises already started.
func (t *Timings) record(ex string, start, end time.Time, passed, starts bool) {
	r := t.Exercises[ex]
	if r == nil {
		if !starts {
			return
		}
		r = &Timing{FirstRun: start.UTC().Truncate(time.Second)}
		t.Exercises[ex] = r
	}
	r.Runs++
	if passed && r.FirstGreen == nil {
		green := end.UTC().Truncate(time.Second)
		r.FirstGreen = &green
	}
}

// save writes the timings into root, whole or not at all.
func (t *Timings) save(root string) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(root, ".timings-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(root, timingsFile))
}

// noteCheck records one check in root's timings file.
func noteCheck(root, ex string, start time.Time, passed, starts bool) error {
	t := loadTimings(root)
	t.record(ex, start, time.Now(), passed, starts)
	return t.save(root)
}

// noteChecks records a check of several exercises (-all) that began at
// start.
func noteChecks(root string, start time.Time, statuses map[string]status) error {
	t := loadTimings(root)
	end := time.Now()
	for ex, s := range statuses {
		t.record(ex, start, end, s.passed, false)
	}
	return t.save(root)
}
