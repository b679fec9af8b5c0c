package webtest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFold breaks a log line between its pairs, never inside a quoted
// value, and leaves a line that fits as it is.
func TestFold(t *testing.T) {
	line := `server: level=WARN msg=refused status=500 reason="a b \"c d\" e" remote=127.0.0.1:80 path=/ws`
	assert.Equal(t, line, fold(line, len(line)), "it fits")
	assert.Equal(t, `server: level=WARN msg=refused status=500`+"\n"+
		`        reason="a b \"c d\" e" remote=127.0.0.1:80`+"\n"+
		`        path=/ws`, fold(line, 50))
	long := "k=" + strings.Repeat("x", 60)
	assert.Equal(t, "a=1\n        "+long, fold("a=1 "+long, 40), "a pair too wide for a line stays whole")
}
