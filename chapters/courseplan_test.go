package chapters

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// planSession is one session of course-plan.md: its heading's length and
// times, and its table's rows.
type planSession struct {
	title      string
	minutes    int
	start, end time.Time
	rows       []planRow
	total      int // the table's bold last row
}

// planRow is one row of a session's table.
type planRow struct {
	what     string
	minutes  int
	exercise string // "07" for a row "Exercise 07: …", else ""
}

var (
	sessionHeading = regexp.MustCompile(`^### (Day \d, session \d): (\d\d:\d\d)–(\d\d:\d\d) \((\d+) min\)$`)
	tableRow       = regexp.MustCompile(`^\| (.+) \| (\d+) \|$`)
	boldRow        = regexp.MustCompile(`^\| \*\*(.+)\*\* \| \*\*(\d+)\*\* \|$`)
	exerciseRow    = regexp.MustCompile(`^Exercise (\d\d): `)
)

// parsePlan reads course-plan.md's sessions, and its homework table as a
// session titled "Homework"; summary is the table of exercise time.
func parsePlan(t *testing.T) (sessions []*planSession, summary map[string]int) {
	t.Helper()
	data, err := os.ReadFile("course-plan.md")
	require.NoError(t, err)
	summary = map[string]int{}
	var cur *planSession
	for _, line := range strings.Split(string(data), "\n") {
		if m := sessionHeading.FindStringSubmatch(line); m != nil {
			start, err1 := time.Parse("15:04", m[2])
			end, err2 := time.Parse("15:04", m[3])
			require.NoError(t, err1)
			require.NoError(t, err2)
			n, _ := strconv.Atoi(m[4])
			cur = &planSession{title: m[1], minutes: n, start: start, end: end}
			sessions = append(sessions, cur)
			continue
		}
		if line == "## Homework" {
			cur = &planSession{title: "Homework"}
			sessions = append(sessions, cur)
			continue
		}
		if strings.HasPrefix(line, "## ") {
			cur = nil
		}
		if m := boldRow.FindStringSubmatch(line); m != nil && cur != nil {
			cur.total, _ = strconv.Atoi(m[2])
			continue
		}
		if m := tableRow.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			if cur == nil {
				summary[m[1]] = n
				continue
			}
			r := planRow{what: m[1], minutes: n}
			if e := exerciseRow.FindStringSubmatch(m[1]); e != nil {
				r.exercise = e[1]
			}
			cur.rows = append(cur.rows, r)
		}
	}
	return sessions, summary
}

// exerciseMinutes reads the minutes of every exercise from the three
// places that state them: exercises/README.md's table, INSTRUCTORS.md's
// table and the exercise's own README ("Time: 30 minutes.").
func exerciseMinutes(t *testing.T) (table, instructors, readme map[string]int) {
	t.Helper()
	table, instructors, readme = map[string]int{}, map[string]int{}, map[string]int{}
	data, err := os.ReadFile("../exercises/README.md")
	require.NoError(t, err)
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \| \[.*?\]\((\d\d)-[a-z0-9-]+/README\.md\) \| .* \| (\d+) min \|$`).FindAllStringSubmatch(string(data), -1) {
		table[m[2]], _ = strconv.Atoi(m[3])
	}
	data, err = os.ReadFile("../exercises/INSTRUCTORS.md")
	require.NoError(t, err)
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \| [^|]+ \| (\d+) \|`).FindAllStringSubmatch(string(data), -1) {
		n, _ := strconv.Atoi(m[1])
		instructors[two(n)], _ = strconv.Atoi(m[2])
	}
	dirs, err := filepath.Glob("../exercises/[0-9][0-9]-*")
	require.NoError(t, err)
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(d, "README.md"))
		require.NoError(t, err)
		m := regexp.MustCompile(`Time: (\d+) minutes\.`).FindStringSubmatch(string(data))
		require.NotNil(t, m, "%s/README.md says `Time: N minutes.`", d)
		readme[filepath.Base(d)[:2]], _ = strconv.Atoi(m[1])
	}
	return table, instructors, readme
}

// two is n as two digits, the way the exercises' folders are numbered.
func two(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

// TestCoursePlanAddsUp: every session of the course plan lasts 60 to 90
// minutes, as its heading's times say, and its rows add up to that; every
// exercise is planned once, in a session or as homework, with the minutes
// its README gives; and the summary's totals are the sums.
func TestCoursePlanAddsUp(t *testing.T) {
	sessions, summary := parsePlan(t)
	require.NotEmpty(t, sessions, "course-plan.md has sessions (### Day N, session M: HH:MM–HH:MM (N min))")
	table, instructors, readme := exerciseMinutes(t)
	require.Len(t, readme, 17, "seventeen exercises")
	assert.Equal(t, readme, table, "exercises/README.md's table gives each exercise the minutes its README does")
	assert.Equal(t, readme, instructors, "exercises/INSTRUCTORS.md's table gives each exercise the minutes its README does")

	planned := map[string]string{}
	inClass, homework := 0, 0
	days := map[string]int{}
	for _, s := range sessions {
		sum := 0
		for _, r := range s.rows {
			sum += r.minutes
			if r.exercise == "" {
				continue
			}
			if where, ok := planned[r.exercise]; ok {
				t.Errorf("exercise %s is planned twice: %s and %s", r.exercise, where, s.title)
			}
			planned[r.exercise] = s.title
			assert.Equal(t, readme[r.exercise], r.minutes, "%s: exercise %s takes the minutes its README says", s.title, r.exercise)
			if s.title == "Homework" {
				homework += r.minutes
			} else {
				inClass += r.minutes
			}
		}
		assert.Equal(t, s.total, sum, "%s: its rows add up to its total", s.title)
		if s.title == "Homework" {
			continue
		}
		days[s.title[:5]]++
		assert.Equal(t, s.minutes, int(s.end.Sub(s.start).Minutes()), "%s: the heading's times and minutes agree", s.title)
		assert.Equal(t, s.minutes, s.total, "%s: the table's total is the session's length", s.title)
		assert.GreaterOrEqual(t, s.minutes, 60, "%s: a session is 60 to 90 minutes", s.title)
		assert.LessOrEqual(t, s.minutes, 90, "%s: a session is 60 to 90 minutes", s.title)
	}
	assert.Equal(t, map[string]int{"Day 1": 4, "Day 2": 4}, days, "two days of four sessions")
	for ex := range readme {
		assert.Contains(t, planned, ex, "exercise %s is in a session or in the homework", ex)
	}
	assert.Equal(t, inClass, summary["Exercises in class"], "the summary's minutes in class are the sessions' exercise rows")
	assert.Equal(t, homework, summary["Exercises as homework"], "the summary's homework minutes are the homework table's")
	all := 0
	for _, m := range readme {
		all += m
	}
	assert.Equal(t, all, summary["All exercises"], "the summary's total is every exercise's minutes")
	assert.Equal(t, all, inClass+homework)
}

// TestCoursePlanFollowsTheBook: the sessions take the exercises in their
// numbers' order, and the numbers follow the chapters of SUMMARY.md.
func TestCoursePlanFollowsTheBook(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	order := map[string]int{}
	for i, ch := range chapters {
		order[filepath.Base(ch)] = i
	}
	dirs, err := filepath.Glob("../exercises/[0-9][0-9]-*")
	require.NoError(t, err)
	last, lastDir := -1, ""
	for _, d := range dirs { // Glob sorts: in the exercises' order
		data, err := os.ReadFile(filepath.Join(d, "README.md"))
		require.NoError(t, err)
		m := regexp.MustCompile(`Chapter: \[[^\]]+\]\(\.\./\.\./chapters/([a-z-]+\.md)\)`).FindStringSubmatch(string(data))
		require.NotNil(t, m, "%s/README.md names its chapter: Chapter: [Title](../../chapters/name.md)", d)
		i, ok := order[m[1]]
		require.True(t, ok, "%s: chapter %s is in SUMMARY.md", d, m[1])
		assert.GreaterOrEqual(t, i, last, "%s (chapter %s) comes after %s in the book: the exercises are numbered in the chapters' order", d, m[1], lastDir)
		last, lastDir = i, filepath.Base(d)
	}

	sessions, _ := parsePlan(t)
	prev := ""
	for _, s := range sessions {
		if s.title == "Homework" {
			continue
		}
		for _, r := range s.rows {
			if r.exercise != "" {
				assert.Greater(t, r.exercise, prev, "%s: exercise %s after %s, in the book's order", s.title, r.exercise, prev)
				prev = r.exercise
			}
		}
	}
}

// TestEveryChapterEndsWithItsExercises: the last section of every chapter
// is its exercises: links to them, or why it has none.
func TestEveryChapterEndsWithItsExercises(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	for _, ch := range chapters {
		if ch == "exercises.md" || ch == "course-plan.md" {
			continue // the list of exercises itself, and the plan for teaching them
		}
		t.Run(ch, func(t *testing.T) {
			data, err := os.ReadFile(ch)
			require.NoError(t, err)
			text := notesBlock.ReplaceAllString(string(data), "")
			headings := regexp.MustCompile(`(?m)^## .*$`).FindAllString(text, -1)
			require.NotEmpty(t, headings)
			require.Equal(t, "## Exercises", headings[len(headings)-1], "the chapter's last section is its exercises")
			section := text[strings.LastIndex(text, "## Exercises"):]
			links := regexp.MustCompile(`exercises/\d\d-[a-z0-9-]+/README\.md`).FindAllString(section, -1)
			if len(links) == 0 {
				assert.Regexp(t, `^## Exercises\n\n(None|No exercise)`, section, "a chapter without exercises says so, and why")
			}
		})
	}
}

// TestExercisesLinkBack: every exercise's README links to its chapter, and
// that chapter's Exercises section links to the exercise.
func TestExercisesLinkBack(t *testing.T) {
	dirs, err := filepath.Glob("../exercises/[0-9][0-9]-*")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, d := range dirs {
		name := filepath.Base(d)
		data, err := os.ReadFile(filepath.Join(d, "README.md"))
		require.NoError(t, err)
		m := regexp.MustCompile(`Chapter: \[[^\]]+\]\(\.\./\.\./chapters/([a-z-]+\.md)\)`).FindStringSubmatch(string(data))
		if !assert.NotNil(t, m, "%s/README.md links back to its chapter", name) {
			continue
		}
		page, err := os.ReadFile(m[1])
		require.NoError(t, err, "%s links to %s", name, m[1])
		text := string(page)
		i := strings.LastIndex(text, "## Exercises")
		if assert.GreaterOrEqual(t, i, 0, "%s has an Exercises section", m[1]) {
			assert.Contains(t, text[i:], "exercises/"+name+"/README.md", "%s's Exercises section lists %s, whose README names it", m[1], name)
		}
		assert.Regexp(t, `^# Exercise `+strconv.Itoa(mustAtoi(t, name[:2]))+`: `, string(data), "%s's title has its number", name)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}
