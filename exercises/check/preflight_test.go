package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPreflightSaysWhatIsMissing: a port in use is a ✗ with the fix, and
// the preflight's answer is "not ready" (exit status 1); with the port
// free, it is ready.
func TestPreflightSaysWhatIsMissing(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, err := net.SplitHostPort(l.Addr().String())
	require.NoError(t, err)
	saved := preflightPorts
	t.Cleanup(func() { preflightPorts = saved })
	preflightPorts = []string{port}
	root := tinyExercises(t)

	var out bytes.Buffer
	err = run(t.Context(), &out, root, options{preflight: true})
	assert.ErrorIs(t, err, errUnsolved)
	assert.Contains(t, out.String(), "✗ port "+port+" on localhost\n    in use")
	assert.Contains(t, out.String(), "-addr localhost:PORT")
	assert.Contains(t, out.String(), "✓ Go ")
	assert.Contains(t, out.String(), "1 thing(s) to fix")

	require.NoError(t, l.Close())
	out.Reset()
	require.NoError(t, run(t.Context(), &out, root, options{preflight: true}), out.String())
	assert.Contains(t, out.String(), "✓ port "+port+" on localhost is free")
	assert.Contains(t, out.String(), "Ready")
}

// TestPreflightFindsModulesThatCannotBeHad: a module the exercises need,
// not in the cache, with no proxy to download it from, is a ✗.
func TestPreflightFindsModulesThatCannotBeHad(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n\nrequire example.com/nowhere v1.0.0\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "m.go"), []byte("package m\n\nimport _ \"example.com/nowhere\"\n"), 0o644))
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOMODCACHE", t.TempDir())
	f := checkModules(t.Context(), root)
	assert.False(t, f.ok)
	assert.False(t, f.optional)
	assert.Contains(t, f.fix, "download failed")

	ok := checkModules(t.Context(), tinyExercises(t))
	assert.True(t, ok.ok, "a module with no requirements needs nothing: %+v", ok)
}
