package main

import (
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// clusterWait bounds each read in the cluster tests: after a NATS server
// dies, the stream elects a new leader and the ordered consumers notice
// the missed heartbeats and recreate themselves, which takes seconds.
const clusterWait = 30 * time.Second

// TestClusterLosesANode: two chat servers on a three-node NATS cluster,
// the stream stored on all three. The NATS server that leads the stream
// is shut down; messages said afterwards still reach the other process,
// once each and in order after the ones before.
func TestClusterLosesANode(t *testing.T) {
	c := startCluster(t)
	a, b := startChat(t, c.url(), "-replicas", "3"), startChat(t, c.url(), "-replicas", "3")
	ada, bob := dial(t, a.WS()), dial(t, b.WS())
	ada.wait, bob.wait = clusterWait, clusterWait
	ada.join("lobby", "ada", nil)
	ada.waitPresence("ada")
	bob.join("lobby", "bob", nil)
	bob.waitPresence("ada", "bob")

	before := numbered("before", 5)
	for _, text := range before {
		ada.say(text)
	}
	assert.Equal(t, before, textsOf(bob.messages(5)))

	leader := -1
	for i, ns := range c.nodes {
		if ns.JetStreamIsStreamLeader("$G", streamName) {
			leader = i
		}
	}
	require.NotEqual(t, -1, leader, "no node leads the stream")
	c.nodes[leader].Shutdown()
	t.Logf("shut down %s, the stream's leader", c.nodes[leader].Name())

	after := numbered("after", 5)
	for _, text := range after {
		ada.say(text)
	}
	ada.say("end")
	assert.Equal(t, append(append(before, after...), "end"), textsOf(ada.messages(11)))
	assert.Equal(t, append(after, "end"), textsOf(bob.messages(6)), "after the node: each message once, in order")
}

// ANCHOR: failover

// TestFailover: chat processes A and B on a three-node NATS cluster. A is
// killed (SIGKILL: no goodbye); its client joins again on B with since set
// to the last id it saw, and gets what was said meanwhile and then the
// live messages: the same list, ids and all, as a client of B that never
// left. No gap, no duplicate.
func TestFailover(t *testing.T) {
	c := startCluster(t)
	bin := webtest.BuildServer(t, ".")
	a := webtest.StartProcess(t, bin, "-nats", c.url(), "-replicas", "3")
	b := webtest.StartProcess(t, bin, "-nats", c.url(), "-replicas", "3")

	watcher := dial(t, b.WS())
	watcher.join("lobby", "watcher", nil)
	watcher.waitPresence("watcher")
	ada := dial(t, a.WS())
	ada.join("lobby", "ada", nil)
	ada.waitPresence("ada", "watcher")
	for _, text := range numbered("before", 5) {
		ada.say(text)
	}
	seen := ada.messages(5)

	require.NoError(t, a.Cmd.Process.Kill())
	<-a.Exited
	assert.Equal(t, websocket.CloseAbnormalClosure, ada.closeCode(),
		"a killed process sends no close frame")

	talker := dial(t, b.WS())
	talker.join("lobby", "talker", nil)
	for _, text := range numbered("meanwhile", 5) {
		talker.say(text)
	}

	cursor := seen[len(seen)-1].ID
	again := dial(t, b.WS())
	again.join("lobby", "ada", &cursor)
	talker.say("live")
	resumed := append(seen, again.messages(6)...)
	all := watcher.messages(11)
	want := append(append(numbered("before", 5), numbered("meanwhile", 5)...), "live")
	assert.Equal(t, want, textsOf(all))
	assert.Equal(t, all, resumed, "the resumed client saw what the one that stayed saw")
}

// ANCHOR_END: failover

// TestSignals: SIGINT and SIGTERM close every socket with 1001 and exit 0;
// a mistake on the command line exits 2. It is webtest.SignalContract but
// for the dial: the chat's socket wants a ticket.
func TestSignals(t *testing.T) {
	bin := webtest.BuildServer(t, ".")
	webtest.UsageContract(t, bin)
	webtest.RequireSignals(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			p := webtest.StartProcess(t, bin)
			c := dial(t, p.WS())
			require.NoError(t, p.Cmd.Process.Signal(sig))
			assert.Equal(t, websocket.CloseGoingAway, c.closeCode())
			select {
			case err := <-p.Exited:
				assert.NoError(t, err, "the chat should exit 0")
			case <-time.After(5 * time.Second): // SignalContract's bound
				t.Fatalf("the chat did not exit within 5s of %v", sig)
			}
		})
	}
}
