package classroom

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitignore keeps what the runner writes out of a student's commits.
const gitignore = ".progress\n.timings.json\nsubmission*.tar.gz\n"

// InitRepo makes dir a git repository whose first commit holds every file
// of it, as handed out: a student's `git diff` then shows their work, and
// GitHub Classroom can take the folder as an assignment's template. The
// commit's author is fixed, so that it works on a machine where git has no
// user configured.
func InitRepo(dir string) error {
	if _, err := exec.LookPath("git"); err != nil {
		return fmt.Errorf("git is not installed (needed for the handout's repository; -git=false skips it)")
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(gitignore), 0o644); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"init", "--quiet", "--initial-branch=main"},
		{"add", "--all"},
		{"-c", "user.name=WebSocket in Go", "-c", "user.email=workbook@example.invalid", "-c", "commit.gpgsign=false",
			"commit", "--quiet", "--message", "The exercises, as handed out"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// Vendor runs `go mod vendor` in dir, so that the handout builds with an
// empty module cache and no network (go uses vendor/ by itself when it is
// there).
func Vendor(dir string) error {
	cmd := exec.Command("go", "mod", "vendor")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go mod vendor: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
