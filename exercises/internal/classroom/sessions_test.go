package classroom

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// coursePlan is the course plan page, from the exercises' internal folder.
const coursePlan = "../../../chapters/course-plan.md"

// TestSessionsAreThePlansSessions: the course plan page includes the
// Sessions table, and every session section of it lists, as its
// "Exercise NN:" rows and its "Homework: exercise NN" line, the
// exercises the table gives it; its heading and its overview cell are the
// table's too.
func TestSessionsAreThePlansSessions(t *testing.T) {
	data, err := os.ReadFile(coursePlan)
	require.NoError(t, err)
	page := string(data)
	assert.True(t, strings.Contains(page, "{{#include ../exercises/internal/classroom/sessions.go:sessions}}"),
		"the page shows the table: {{#include ../exercises/internal/classroom/sessions.go:sessions}}")

	heading := regexp.MustCompile(`(?m)^### (Day \d, session \d): `)
	row := regexp.MustCompile(`(?m)^\| Exercise (\d\d): `)
	homework := regexp.MustCompile(`Homework: exercises? (\d\d)((?:(?:, | and )\d\d)*)`)
	number := regexp.MustCompile(`\d\d`)
	starts := heading.FindAllStringSubmatchIndex(page, -1)
	require.Len(t, starts, len(Sessions), "the page has a section per session")
	for i, at := range starts {
		end := len(page)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		section := page[at[0]:end]
		if j := strings.Index(section, "\n## "); j >= 0 {
			section = section[:j]
		}
		s := Sessions[i]
		assert.Equal(t, i+1, s.Number)
		assert.Equal(t, s.Title(), page[at[2]:at[3]], "session %d's heading", s.Number)
		var inClass, home []string
		for _, m := range row.FindAllStringSubmatch(section, -1) {
			inClass = append(inClass, m[1])
		}
		for _, m := range homework.FindAllStringSubmatch(section, -1) {
			home = append(home, m[1])
			home = append(home, number.FindAllString(m[2], -1)...)
		}
		assert.Equal(t, s.InClass, inClass, "%s: its exercise rows are the table's", s.Title())
		assert.Equal(t, s.Homework, home, "%s: its homework is the table's", s.Title())
		day, _, _ := strings.Cut(s.Title(), ",")
		assert.Regexp(t, `(?m)^\| `+day+` \|.* \d\d:\d\d `+regexp.QuoteMeta(s.Topic)+` \|`, page, "%s: the overview names it %q", s.Title(), s.Topic)
	}

	all, err := Exercises("../..")
	require.NoError(t, err)
	seen := map[string]int{}
	for _, s := range Sessions {
		for _, ex := range slices.Concat(s.InClass, s.Homework) {
			seen[ex]++
		}
	}
	for _, ex := range all {
		assert.Equal(t, 1, seen[ex[:2]], "exercise %s is in exactly one session", ex)
	}
	assert.Len(t, seen, len(all), "every number in the table is an exercise")
}

// TestSessionExercises picks a session's exercises, and refuses what is
// not a session.
func TestSessionExercises(t *testing.T) {
	all := []string{"01-long-poll", "02-server-sent-events", "03-accept-key", "11-close-frame", "17-broker-fanout", "16-broadcast-hub"}
	slices.Sort(all)
	got, err := SessionExercises(all, "1")
	require.NoError(t, err)
	assert.Equal(t, []string{"01-long-poll", "02-server-sent-events"}, got, "in class, then its homework")
	got, err = SessionExercises(all, " 8 ")
	require.NoError(t, err)
	assert.Equal(t, []string{"16-broadcast-hub", "17-broker-fanout"}, got)
	for _, bad := range []string{"0", "9", "x", "", "1.5"} {
		_, err := SessionExercises(all, bad)
		assert.ErrorContains(t, err, "sessions 1 to 8", bad)
	}
	_, err = SessionExercises(all, "2")
	assert.ErrorContains(t, err, `no exercise "04"`, "a session whose exercise is not there says which")
	_, err = Choose(all, "01", "1")
	assert.ErrorContains(t, err, "not both")
	got, err = Choose(all, "", "")
	require.NoError(t, err)
	assert.Equal(t, all, got)
}
