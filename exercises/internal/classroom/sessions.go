package classroom

import (
	"fmt"
	"strconv"
	"strings"
)

// Session is one session of the two-day course in chapters/course-plan.md:
// the exercises done in class, and those given as homework at its end.
type Session struct {
	Number   int      // 1 to 8, in the order they are taught: four a day
	Topic    string   // its cell in the plan's overview table
	InClass  []string // the exercises' numbers
	Homework []string
}

// Sessions is the course plan's list of sessions and their exercises, the
// one source of truth: `handout -session N` hands out session N's, and
// chapters/course-plan.md shows this table (a test keeps its session
// tables and homework lines equal to it).
//
// ANCHOR: sessions
var Sessions = []Session{
	{1, "polling", []string{"01"}, []string{"02"}},
	{2, "the handshake", []string{"03", "04", "05", "06"}, nil},
	{3, "frames: header and mask", []string{"07", "08"}, nil},
	{4, "frames: messages and closing", []string{"09", "10"}, []string{"11"}},
	{5, "compression", []string{"12"}, nil},
	{6, "x/net and gorilla", []string{"13", "14"}, nil},
	{7, "the browser client, side by side", []string{"15"}, nil},
	{8, "into production", []string{"16"}, []string{"17"}},
}

// ANCHOR_END: sessions

// Title is the session's heading on the course plan: "Day 1, session 3".
func (s Session) Title() string {
	return fmt.Sprintf("Day %d, session %d", (s.Number-1)/4+1, (s.Number-1)%4+1)
}

// SessionExercises returns the exercises of session n (its number, "1"
// to "8"), in class and homework, from all, in the list's order.
func SessionExercises(all []string, n string) ([]string, error) {
	number, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || number < 1 || number > len(Sessions) {
		return nil, fmt.Errorf("no session %q: the course plan has sessions 1 to %d", n, len(Sessions))
	}
	s := Sessions[number-1]
	return Select(all, strings.Join(append(append([]string{}, s.InClass...), s.Homework...), ","))
}

// Choose is the exercises an instructor's command was asked for: those
// of a session, or those named by only (all of them when both are empty).
func Choose(all []string, only, session string) ([]string, error) {
	switch {
	case only != "" && session != "":
		return nil, fmt.Errorf("give -only or -session, not both")
	case session != "":
		return SessionExercises(all, session)
	}
	return Select(all, only)
}
