//go:build !unix

package main

// raiseFileLimit does nothing where there are no rlimits (Windows): the
// handles a process may open are not limited that way.
func raiseFileLimit() {}
