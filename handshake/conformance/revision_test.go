package conformance

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRevisionNamesTheCommit: a report names the commit it measured, and
// outside a repository names none.
func TestRevisionNamesTheCommit(t *testing.T) {
	root, err := ModuleRoot()
	require.NoError(t, err)
	rev := Revision(root)
	if rev == "" {
		t.Skip("no git, or not a clone: reports say nothing of the commit")
	}
	assert.Regexp(t, `^the workbook at commit [0-9a-f]{7,}( with uncommitted changes)?$`, rev)
	assert.Empty(t, Revision(t.TempDir()), "not a repository: nothing to name")
}
