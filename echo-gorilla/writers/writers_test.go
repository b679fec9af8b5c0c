package writers

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// load is the test's burst: this many echoes and as many pushes, of
// msgSize bytes each, both at once.
const (
	load    = 200
	msgSize = 16 << 10
)

// payload is message i of a stream, msgSize bytes, self-describing, so
// that a torn or swapped message is seen.
func payload(stream string, i int) []byte {
	head := fmt.Sprintf("%s-%04d:", stream, i)
	return []byte(head + strings.Repeat(stream[:1], msgSize-len(head)))
}

// handlers are the servers under test, each with its push channel. The
// broken ones run only when -broken names them.
func handlers(push chan []byte) map[string]http.Handler {
	all := map[string]http.Handler{
		"locked": &Locked{Push: push},
		"pump":   &Pump{Push: push, Queue: 2 * load},
	}
	switch *broken {
	case "":
		return all
	case "naive":
		return map[string]http.Handler{"naive": &Naive{Push: push}}
	case "racy":
		return map[string]http.Handler{"racy": &racyLocked{Push: push}}
	case "leaky":
		return map[string]http.Handler{"leaky": &leakyPump{Push: push, Queue: 2 * load}}
	}
	panic("unknown -broken variant " + *broken)
}

// ANCHOR: one-writer-test

// TestOneWriterAtATime sends a burst of messages to echo while the server
// pushes as many of its own: two writers on one connection, at once. Every
// message must come back whole, each stream in order.
func TestOneWriterAtATime(t *testing.T) {
	push := make(chan []byte)
	for name, h := range handlers(push) {
		t.Run(name, func(t *testing.T) {
			wsURL, returned := serveWS(t, h)
			c := dial(t, wsURL)

			go func() { // the server's second writer gets its work
				for i := range load {
					push <- payload("push", i)
				}
			}()
			go func() { // and the client asks for echoes
				for i := range load {
					if c.WriteMessage(websocket.BinaryMessage, payload("echo",
						i)) != nil {
						return
					}
				}
			}()

			next := map[string]int{}
			c.SetReadDeadline(time.Now().Add(testBound))
			for next["echo"]+next["push"] < 2*load {
				_, msg, err := c.ReadMessage()
				require.NoError(t, err, "after %d echoes and %d pushes", next["echo"],
					next["push"])
				stream, _, _ := strings.Cut(string(msg[:4]), "-")
				require.Equal(t, string(payload(stream, next[stream])), string(msg),
					"a torn or lost message")
				next[stream]++
			}
			c.Close()
			within(t, testBound, returned, "the handler returns after the client leaves")
		})
	}
}

// ANCHOR_END: one-writer-test

// panicRE finds gorilla's panic in either of the forms it takes: a panic
// in the handler's goroutine is recovered by net/http, which logs "http:
// panic serving ADDR: VALUE" and drops the connection; one in any other
// goroutine ends the process with "panic: VALUE".
var panicRE = regexp.MustCompile(`(?:^panic: |http: panic serving \S+: )(.*)`)

// argsRE matches a stack frame's arguments.
var argsRE = regexp.MustCompile(`\(0x.*\)`)

// ANCHOR: naive-panics

// TestNaivePanics runs TestOneWriterAtATime against Naive in a process of
// its own, 50 times, and requires gorilla's panic. The two writers collide
// in most runs, not all, and not always where gorilla looks (a torn frame
// can end the connection first): testdata/naive.golden is the panic and
// gorilla's frames in it, as the chapter shows them.
func TestNaivePanics(t *testing.T) {
	out := webtest.RunBroken(t, "^TestOneWriterAtATime$", "-broken=naive", "-test.count=50")
	if webtest.RaceEnabled && strings.Contains(out, "DATA RACE") {
		t.Skip("the race detector saw the two writers before gorilla did")
	}
	m := panicRE.FindStringSubmatch(webtest.Lines(out, "panic"))
	require.NotNil(t, m, "no panic in:\n%s", out)
	require.Equal(t, "concurrent write to websocket connection", m[1])
	frames := argsRE.ReplaceAllString(webtest.Lines(out, "github.com/gorilla/websocket."), "")
	frames = strings.Join(unique(strings.Split(frames, "\n")), "\n")
	webtest.Golden(t, "naive.golden", "panic: "+m[1]+"\n"+frames, *update)
}

// ANCHOR_END: naive-panics

// unique returns lines without repeats, in the order first seen.
func unique(lines []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// ANCHOR: slow-test

// TestSlowConsumerIsEvicted: the server pushes faster than the client
// reads. Once 8 messages wait, the client is evicted: it reads what was
// sent before, then close 1008, and the handler returns.
func TestSlowConsumerIsEvicted(t *testing.T) {
	push := make(chan []byte)
	wsURL, returned := serveWS(t, &Pump{Push: push, Queue: 8})
	c := dial(t, wsURL) // and read nothing until the server is done

	pushed := 0
	for pushing := true; pushing; {
		select {
		case push <- payload("push", pushed)[:1<<10]:
			pushed++
		case <-returned:
			pushing = false
		case <-time.After(testBound):
			t.Fatalf("the slow client was still served after %d pushes", pushed)
		}
	}
	assert.GreaterOrEqual(t, pushed, 9, "the queue holds 8: nobody is evicted for less")
	assert.Equal(t, websocket.ClosePolicyViolation, closeCode(t, c),
		"after the pushes sent before the eviction")
}

// ANCHOR_END: slow-test

// ANCHOR: stalled-test

// TestStalledClientIsDropped: a client that never reads, and 32 MiB of
// pushes, more than the socket's buffers hold. The pump blocks in a write,
// and the write deadline must end it. The deadline is injected (100 ms),
// so the test waits for the event, never for a fixed time.
func TestStalledClientIsDropped(t *testing.T) {
	push := make(chan []byte)
	var h http.Handler = &Pump{Push: push, Queue: 1024, WriteWait: 100 * time.Millisecond}
	if *broken == "nodeadline" {
		h = &noDeadlinePump{Push: push}
	}
	wsURL, returned := serveWS(t, h)
	dial(t, wsURL) // and never read

	big := []byte(strings.Repeat("x", 64<<10)) // one array, pushed 512 times
	go func() {
		for range 512 {
			select {
			case push <- big:
			case <-returned:
				return
			}
		}
	}()
	within(t, stallBound, returned, "the handler returns")
}

// ANCHOR_END: stalled-test

// stallBound is how long TestStalledClientIsDropped waits for the handler:
// twenty times the injected write deadline.
const stallBound = 2 * time.Second

// TestFullOutboxEvicts is the eviction rule on its own: offers never wait,
// and the first that finds the queue full evicts the client, for good.
func TestFullOutboxEvicts(t *testing.T) {
	o := newOutbox(2)
	m := message{websocket.TextMessage, []byte("x")}
	assert.True(t, o.offer(m))
	assert.True(t, o.offer(m))
	select {
	case <-o.evicted:
		t.Fatal("evicted with room left")
	default:
	}
	assert.False(t, o.offer(m), "the third offer finds the queue full")
	within(t, time.Second, o.evicted, "eviction")
	<-o.queue // room again, but the client is gone
	assert.False(t, o.offer(m), "an evicted client gets nothing more")
}
