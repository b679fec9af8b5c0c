//go:build linux

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// TestConformanceLikeByHand runs the workbook's conformance suite against
// echo-epoll and against the by-hand server handshake/echo, both as real
// processes, and requires the same outcome in every case (today: every
// case passes on both).
func TestConformanceLikeByHand(t *testing.T) {
	root, err := conformance.ModuleRoot()
	require.NoError(t, err)
	byHandBin, err := conformance.Servers[0].Build(root, t.TempDir())
	require.NoError(t, err)
	require.Equal(t, "by hand", conformance.Servers[0].Name)

	results := map[string]map[string]conformance.Result{}
	for name, b := range map[string]string{"by hand": byHandBin, "echo-epoll": bin} {
		p, err := conformance.Start(b)
		require.NoError(t, err, name)
		results[name] = conformance.RunAll(p.WS())
		require.NoError(t, p.Stop(), "%s should exit 0 on SIGTERM", name)
	}
	require.NotEmpty(t, conformance.Cases())
	for _, c := range conformance.Cases() {
		want, got := results["by hand"][c.ID], results["echo-epoll"][c.ID]
		assert.Equal(t, want.Outcome, got.Outcome, "%s %s: %s (by hand: %s; echo-epoll: %s)", c.ID, c.Group, c.Name, want.Detail, got.Detail)
	}
}
