package conformance

import (
	"os/exec"
	"strings"
)

// Revision names the code a measurement ran on, for its report: "the
// workbook at commit abc1234", and " with uncommitted changes" when the
// working tree differed from it. A report without it cannot say which
// version of a server it measured. Empty where git is not at hand or root
// is not a repository.
func Revision(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	rev := "the workbook at commit " + strings.TrimSpace(string(out))
	if exec.Command("git", "-C", root, "diff", "--quiet", "HEAD", "--").Run() != nil {
		rev += " with uncommitted changes"
	}
	return rev
}
