// Package steps holds the programs of the chapter "The opening handshake"
// in the order the chapter grows them, test first: 1-hijack (a 101 with
// no accept key), 2-accept and 3-checks; the final code is package
// handshake. 4-frames, the first program of the chapter "Frames", echoes
// over frames. The tests here are the chapters': each is shown failing
// against the step before the one that makes it pass, and that failure is
// kept in testdata as the test printed it.
package steps
