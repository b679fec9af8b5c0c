package main

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStartNodesSaysWhenAPortIsTaken: a route port that another program
// took between freePorts and the node's bind leaves that node never ready.
// startNodes says which node it was, and shuts the others down, so that
// startCluster can try again on fresh ports instead of failing the test.
func TestStartNodesSaysWhenAPortIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	routes := freePorts(t, 2)
	routes = append(routes, taken.Addr().(*net.TCPAddr).Port)

	nodes, err := startNodes(t, routes, time.Second)
	require.Error(t, err)
	assert.Nil(t, nodes)
	assert.Contains(t, err.Error(), "node n3")

	// The two nodes that did start are shut down: their route ports are
	// free again.
	for _, p := range routes[:2] {
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", itoa(p)))
		if assert.NoError(t, err, "route port %d is still held", p) {
			ln.Close()
		}
	}
}
