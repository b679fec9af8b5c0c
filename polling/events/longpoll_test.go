package events

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestLongPoll: a long poll answers at once when events are waiting, and
// with [] when its timeout passes with nothing new. The first case sets a
// timeout of an hour, so a handler that waited would trip the client's
// ioTimeout and fail.
func TestLongPoll(t *testing.T) {
	cases := []struct {
		name    string
		timeout time.Duration
		publish int
		since   string
		want    []int64
	}{
		{"events waiting: answers at once", time.Hour, 3, "1", []int64{2, 3}},
		{"all of the ring from 0", time.Hour, 2, "0", []int64{1, 2}},
		{"nothing new: [] after the timeout", 20 * time.Millisecond, 2, "2", []int64{}},
		{"empty log: [] after the timeout", 20 * time.Millisecond, 0, "0", []int64{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := NewLog(0)
			srv := startServer(t, &Handlers{Log: log, LongPollTimeout: tc.timeout})
			for range tc.publish {
				log.Publish("x")
			}
			events := getEvents(t, &http.Client{Timeout: ioTimeout}, srv.URL+"/longpoll?since="+tc.since)
			ids := []int64{}
			for _, e := range events {
				ids = append(ids, e.ID)
			}
			assert.Equal(t, tc.want, ids)
		})
	}
}

// TestLongPollWakesOnPublish: a waiting long poll answers with the event
// that is published while it waits.
func TestLongPollWakesOnPublish(t *testing.T) {
	log := NewLog(0)
	srv := startServer(t, &Handlers{Log: log, LongPollTimeout: time.Hour})
	got := make(chan []Event, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/longpoll?since=0")
		if err != nil {
			got <- nil
			return
		}
		defer resp.Body.Close()
		var events []Event
		_ = jsonDecode(resp, &events)
		got <- events
	}()
	// The poll may or may not be waiting yet; either way it must end with
	// exactly this event.
	log.Publish("wake up")
	select {
	case events := <-got:
		if assert.Len(t, events, 1) {
			assert.Equal(t, "wake up", events[0].Data)
		}
	case <-time.After(ioTimeout):
		t.Fatal("the long poll did not answer after a publish")
	}
}
