package events

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fanOut is how many clients the fan-out benchmarks serve.
const fanOut = 1000

// BenchmarkFanOutWebSocket: one publish reaching 1,000 WebSocket clients
// over loopback. One op is one event published and read by all of them.
func BenchmarkFanOutWebSocket(b *testing.B) {
	log := NewLog(0)
	srv := startServer(b, &Handlers{Log: log})
	got := make(chan int64, fanOut)
	for range fanOut {
		c := dial(b, wsURL(srv.URL, 0), nil)
		go func() {
			for {
				var e Event
				if c.ReadJSON(&e) != nil {
					return
				}
				got <- e.ID
			}
		}()
	}
	require.Eventually(b, func() bool { return log.Subscribers() == fanOut }, ioTimeout, time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		log.Publish("tick")
		awaitAll(b, got)
	}
}

// BenchmarkFanOutLongPoll: one publish answering 1,000 waiting long polls,
// each of which then asks again. One op is one event received by all.
func BenchmarkFanOutLongPoll(b *testing.B) {
	log := NewLog(0)
	srv := startServer(b, &Handlers{Log: log, LongPollTimeout: time.Minute})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: fanOut}}
	got := make(chan int64, fanOut)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // ends the waiting polls, so the server can close
	for range fanOut {
		go func() {
			since := int64(0)
			for {
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/longpoll?since="+strconv.FormatInt(since, 10), nil)
				resp, err := client.Do(req)
				if err != nil {
					return
				}
				var events []Event
				err = jsonDecode(resp, &events)
				resp.Body.Close()
				if err != nil {
					return
				}
				for _, e := range events {
					since = e.ID
					select {
					case got <- e.ID:
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	b.ReportAllocs()
	for b.Loop() {
		log.Publish("tick")
		awaitAll(b, got)
	}
}

// BenchmarkPublish: the cost of Publish itself with 1,000 subscribers whose
// queues are drained, no network.
func BenchmarkPublish(b *testing.B) {
	log := NewLog(0)
	subs := make([]*Subscriber, fanOut)
	for i := range subs {
		subs[i], _ = log.Subscribe(1)
	}
	b.ReportAllocs()
	for b.Loop() {
		log.Publish("tick")
		for _, s := range subs {
			<-s.Events
		}
	}
}

// awaitAll waits until every client has reported one event.
func awaitAll(b *testing.B, got <-chan int64) {
	timeout := time.NewTimer(ioTimeout)
	defer timeout.Stop()
	for range fanOut {
		select {
		case <-got:
		case <-timeout.C:
			b.Fatal("not every client received the event in time")
		}
	}
}

// discard is a ResponseWriter that throws the body away.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// ANCHOR: bench_answer
// BenchmarkPollFullRing: the cost of one GET /poll?since=0 on a ring of
// 1,024 events of 64 KiB of "<", no network. B/op is what one answer costs
// the server: about 2 MiB now. When the whole ring went into one
// HTML-escaped answer, that answer was 400 MB (and 280 MB allocated per op,
// the encoder's buffer being pooled).
func BenchmarkPollFullRing(b *testing.B) {
	mux := http.NewServeMux()
	(&Handlers{Log: fullRing(DefaultCapacity)}).Register(mux)
	req := httptest.NewRequest("GET", "/poll?since=0", nil)
	b.ReportAllocs()
	for b.Loop() {
		mux.ServeHTTP(&discard{h: http.Header{}}, req)
	}
}

// ANCHOR_END: bench_answer
