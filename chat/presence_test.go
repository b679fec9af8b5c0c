package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPresenceAcrossProcesses: presence lists the members of every
// process, and forgets those who left, wherever they were.
func TestPresenceAcrossProcesses(t *testing.T) {
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)

	bob := dial(t, b.WS())
	bob.join("lobby", "bob", nil)
	bob.waitPresence("bob")
	ada := dial(t, a.WS())
	ada.join("lobby", "ada", nil)
	ada.waitPresence("ada", "bob")
	bob.waitPresence("ada", "bob")
	bob.conn.Close()
	ada.waitPresence("ada")

	cy := dial(t, b.WS())
	cy.join("lobby", "cy", nil)
	cy.waitPresence("ada", "cy")
	ada.conn.Close()
	cy.waitPresence("cy")
	cy.conn.Close()

	again := dial(t, a.WS())
	again.join("lobby", "bob", nil)
	again.waitPresence("bob") // no one left behind on either process
	again.say("alone")
	m := again.next()
	assert.Equal(t, "message", m.Type, "the next message is the say, not a stale presence: %+v", m)
}
