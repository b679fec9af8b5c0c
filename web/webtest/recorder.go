package webtest

import (
	"sync"
	"testing"
	"time"
)

// Recorder is a connection tracker (what serve.Server.Track is to a
// handler) for unit tests of a handler: it remembers each connection's goodbye and
// closes, for each, a channel when its handler is done.
type Recorder struct {
	mu      sync.Mutex
	byes    []func()
	dones   []chan struct{}
	tracked chan struct{}
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{tracked: make(chan struct{}, 16)}
}

// Track implements the servers' tracker: it records goingAway and returns
// the function the handler calls when it is done.
func (r *Recorder) Track(goingAway func()) func() {
	done := make(chan struct{})
	r.mu.Lock()
	r.byes = append(r.byes, goingAway)
	r.dones = append(r.dones, done)
	r.mu.Unlock()
	r.tracked <- struct{}{}
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// Goodbye returns the goodbye of the i-th connection tracked.
func (r *Recorder) Goodbye(i int) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byes[i]
}

// WaitTracked waits until one more connection is tracked.
func (r *Recorder) WaitTracked(t testing.TB) {
	t.Helper()
	select {
	case <-r.tracked:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler never tracked its connection")
	}
}

// IsDone returns the channel that is closed when the i-th connection's
// handler is done.
func (r *Recorder) IsDone(i int) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dones[i]
}

// WaitDone waits up to within for the i-th connection's handler to finish
// and fails the test if it does not.
func (r *Recorder) WaitDone(t testing.TB, i int, within time.Duration) {
	t.Helper()
	select {
	case <-r.IsDone(i):
	case <-time.After(within):
		t.Fatalf("the server still holds connection %d after %v", i, within)
	}
}
