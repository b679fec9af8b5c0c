//go:build race

package webtest

// RaceEnabled reports whether this binary was built with -race. A broken
// variant's output differs under the race detector (it may report the race
// before the failure the chapter shows), so golden files are compared only
// without it.
const RaceEnabled = true
