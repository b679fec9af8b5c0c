// Package steps holds the programs of the chapter "Echo on gorilla" in the
// order the chapter grows them, each a whole program in its own folder:
// 1-seed, 2-limit, 3-utf8 and 4-keepalive; the final program is
// echo-gorilla itself. The test here runs every step and shows what each
// one fixes.
package steps
