package main

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSaidOnAReachesB: two chat servers on one NATS server. What a client
// of A says reaches a client of B once, in order, and A's client too, with
// the same ids.
func TestSaidOnAReachesB(t *testing.T) {
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)
	ada, bob := dial(t, a.WS()), dial(t, b.WS())
	ada.join("lobby", "ada", nil)
	ada.waitPresence("ada")
	bob.join("lobby", "bob", nil)
	bob.waitPresence("ada", "bob")
	ada.waitPresence("ada", "bob") // presence crosses processes too

	want := numbered("hello", 50)
	for _, text := range want {
		ada.say(text)
	}
	ada.say("end")
	atB, atA := bob.messages(len(want)+1), ada.messages(len(want)+1)
	assert.Equal(t, append(want, "end"), textsOf(atB), "B's client: each message once, in order")
	assert.Equal(t, textsOf(atA), textsOf(atB))
	for i := range atB {
		assert.Equal(t, atA[i].ID, atB[i].ID, "one id for a message on every process")
		assert.Equal(t, "ada", atB[i].From)
		assert.Equal(t, "lobby", atB[i].Room)
		if i > 0 {
			assert.Greater(t, atB[i].ID, atB[i-1].ID, "ids grow within the room")
		}
	}
}

// TestRoomsAreApart: a message said in one room does not reach another.
func TestRoomsAreApart(t *testing.T) {
	nats := startNATS(t)
	a := startChat(t, nats)
	ada, bob := dial(t, a.WS()), dial(t, a.WS())
	ada.join("one", "ada", nil)
	bob.join("two", "bob", nil)
	ada.waitPresence("ada")
	bob.waitPresence("bob")
	ada.say("for one")
	bob.say("for two")
	assert.Equal(t, "for one", ada.nextOf("message").Text)
	assert.Equal(t, "for two", bob.nextOf("message").Text)
}

// TestResumeWithSince: a client that left after message k and joins again
// (on another process) with since k gets every later message once, in
// order, then the live ones: no gap, no duplicate.
func TestResumeWithSince(t *testing.T) {
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)
	ada := dial(t, a.WS())
	ada.join("lobby", "ada", nil)
	ada.waitPresence("ada")
	for _, text := range numbered("before", 10) {
		ada.say(text)
	}
	seen := ada.messages(10)
	cursor := seen[4].ID // ada saw five, then her connection went
	ada.conn.Close()

	noise := dial(t, a.WS())
	noise.join("other", "noise", nil) // another room's messages between ours
	noise.waitPresence("noise")
	noise.say("elsewhere")

	again := dial(t, b.WS())
	again.join("lobby", "ada", &cursor)
	again.say("after")
	got := again.messages(6)
	assert.Equal(t, append(textsOf(seen[5:]), "after"), textsOf(got))
	for i := range 5 {
		assert.Equal(t, seen[5+i].ID, got[i].ID)
	}

	all := dial(t, b.WS())
	zero := uint64(0)
	all.join("lobby", "all", &zero)
	assert.Equal(t, append(numbered("before", 10), "after"), textsOf(all.messages(11)), "since 0 replays the whole history")
}

// TestResumePastTheHistory: a room keeps its last -history messages. A
// client that resumes from before them is told that some are lost, then
// gets what is kept, in order.
func TestResumePastTheHistory(t *testing.T) {
	s := startChat(t, startNATS(t), "-history", "5")
	ada := dial(t, s.WS())
	ada.join("lobby", "ada", nil)
	ada.waitPresence("ada")
	var seen []wire
	for _, text := range numbered("m", 10) { // one at a time: ada's feed
		ada.say(text) // keeps up, and sees all ten
		seen = append(seen, ada.nextOf("message"))
	}
	require.Equal(t, numbered("m", 10), textsOf(seen))

	back := dial(t, s.WS())
	back.join("lobby", "ada", &seen[1].ID) // saw m 0 and m 1 only
	e := back.nextOf("error")
	assert.Equal(t, fmt.Sprintf("history before id %d is gone (a room keeps its last 5 messages): some said after id %d are lost", seen[5].ID, seen[1].ID), e.Text)
	assert.Equal(t, numbered("m", 10)[5:], textsOf(back.messages(5)))
}

// TestPage: GET / is the chat page, and its style is the shared page's.
func TestPage(t *testing.T) {
	s := startChat(t, startNATS(t))
	cases := []struct{ path, contains string }{
		{"/", "<title>WebSocket Chat</title>"},
		{"/chat.js", "textContent"},
		{"/style.css", "--fg:"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp := get(t, s.URL+tc.path)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Contains(t, string(body), tc.contains)
			assert.NotContains(t, string(body), "innerHTML =", fmt.Sprintf("%s writes with textContent only", tc.path))
		})
	}
}

// TestResumeWhileTheRoomTalks: a client resumes on a process whose room
// is open and busy, while messages keep coming. The switch from the
// replayed history to the live feed loses none and repeats none.
func TestResumeWhileTheRoomTalks(t *testing.T) {
	nats := startNATS(t)
	a, b := startChat(t, nats), startChat(t, nats)
	watcher := dial(t, b.WS())
	watcher.join("lobby", "watcher", nil)
	watcher.waitPresence("watcher")
	talker := dial(t, a.WS())
	talker.join("lobby", "talker", nil)
	talker.waitPresence("talker", "watcher")
	go func() { // the talker hears its own messages; it must read them
		for {
			if _, _, err := talker.conn.NextReader(); err != nil {
				return
			}
		}
	}()

	const n = 300
	want := numbered("m", n)
	said := make(chan struct{})
	go func() {
		defer close(said)
		for _, text := range want {
			_ = talker.conn.SetWriteDeadline(time.Now().Add(ioWait))
			if talker.conn.WriteJSON(map[string]string{"type": "say", "text": text}) != nil {
				return
			}
		}
	}()
	first := watcher.messages(20)
	late := dial(t, b.WS())
	late.join("lobby", "late", &first[9].ID) // the room is still talking
	got := late.messages(n - 10)
	assert.Equal(t, want[10:], textsOf(got), "from the history into the live feed: no gap, no duplicate")
	assert.Equal(t, want[20:], textsOf(watcher.messages(n-20)))
	<-said
}
