package handshake

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportsNothingOfTheWorkbook: the protocol lesson stands alone. A
// reader can copy this package out of the workbook, and any package of the
// workbook (the wire tap under every server, say) can import it without a
// cycle.
func TestImportsNothingOfTheWorkbook(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			assert.False(t, strings.HasPrefix(path, "github.com/websocket-in-go/workbook"),
				"%s imports %s: the protocol package must import nothing of the workbook", name, path)
		}
	}
}
