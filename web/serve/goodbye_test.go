package serve

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestGoodbyesRunInParallel: two goodbyes that block (clients that stopped
// reading) must not keep the others from being said. Every goingAway
// reports when it starts; the blocked ones wait for the test's release.
// One after another, the first blocked goodbye would stop the rest.
func TestGoodbyesRunInParallel(t *testing.T) {
	const conns, blocked = 10, 2
	s := &Server{}
	started := make(chan int, conns)
	release := make(chan struct{})
	for i := range conns {
		done := s.Track(func() {
			started <- i
			if i < blocked {
				<-release
			}
		})
		defer done()
	}
	said := make(chan struct{})
	go func() { s.sayGoodbye(); close(said) }()

	deadline := time.After(ioTimeout)
	for n := range conns {
		select {
		case <-started:
		case <-deadline:
			close(release)
			t.Fatalf("only %d of %d goodbyes were started while %d blocked", n, conns, blocked)
		}
	}
	select {
	case <-said:
		t.Fatal("sayGoodbye returned while goodbyes were still being said")
	default:
	}
	close(release)
	select {
	case <-said:
	case <-time.After(ioTimeout):
		t.Fatal("sayGoodbye did not return once every goodbye was said")
	}
}

// TestTrackAfterShutdownSaysGoodbyeAtOnce: a connection tracked once the
// goodbyes have been said is told goodbye at once.
func TestTrackAfterShutdownSaysGoodbyeAtOnce(t *testing.T) {
	s := &Server{}
	s.sayGoodbye()
	told := make(chan struct{})
	done := s.Track(func() { close(told) })
	defer done()
	select {
	case <-told:
	case <-time.After(ioTimeout):
		t.Fatal("a connection tracked after shutdown was not told goodbye")
	}
	assert.True(t, s.closing)
}
