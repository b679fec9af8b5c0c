// Package steps holds the programs of the chapter "Echo on x/net" in the
// order the chapter grows them, each a whole program in its own folder:
// 1-seed (the original text's server), 2-origin, 3-binary, 4-close and
// 5-limit; the final program is echo-xnet itself. The test here runs every
// step and shows what each one fixes.
package steps
