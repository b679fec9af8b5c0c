package chapters

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestXNetQuote: the chapter "Echo on x/net" quotes x/net's package
// comment word for word, from the version go.mod pins.
func TestXNetQuote(t *testing.T) {
	const quote = "This package currently lacks some features found in an alternative and more " +
		"actively maintained WebSocket packages"
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/net").Output()
	require.NoError(t, err)
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "websocket", "websocket.go"))
	require.NoError(t, err)
	comment := strings.Join(strings.Fields(strings.ReplaceAll(string(src), "//", " ")), " ")
	assert.Contains(t, comment, quote, "x/net's package comment")
	assert.Contains(t, comment, "[github.com/coder/websocket]")
	chapter, err := os.ReadFile("echo-xnet.md")
	require.NoError(t, err)
	assert.Contains(t, strings.Join(strings.Fields(string(chapter)), " "), `"`+quote+`"`, "the chapter's quote")
}
