// Command fanout measures the chat of the chapter "Past one machine": how
// long a message takes to reach every member of a room when the members
// are split across two chat processes, and how many deliveries per second
// the two processes make.
//
//	go run ./chat/fanout            # 1,000 clients, results on stdout
//	go run ./chat/fanout -clients 200 -messages 50
//
// It builds the chat, starts process A (which embeds the NATS server) and
// process B (joined to A's NATS), opens half the clients on each (each with
// a session and a ticket of its own, as a page would: chat/login), all in
// one room, and has one more client on A say messages that carry the time
// they were sent. Every member records, for every message, the time from
// that say to its arrival: the fan-out latency, through A's publish to
// JetStream, both processes' ordered consumers, and each process's writes
// to its members. Two runs: paced (one message every -every), for latency
// on a room that is not overloaded, and burst (as fast as one sender's
// says are acknowledged), for throughput.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/websocket-in-go/workbook/chat/login"
)

func main() {
	clients := flag.Int("clients", 1000, "members of the room, half on each process")
	messages := flag.Int("messages", 200, "messages said in each run")
	every := flag.Duration("every", 20*time.Millisecond, "the pause between two says in the paced run")
	flag.Parse()
	if err := measure(*clients, *messages, *every); err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		os.Exit(1)
	}
}

// process is a running chat.
type process struct {
	cmd   *exec.Cmd
	ws    string // ws://127.0.0.1:PORT/ws
	nats  string // the embedded NATS server's URL, for A
	lines *bufio.Scanner
}

// start runs the chat binary with args and reads its first lines.
func start(bin string, args ...string) (*process, error) {
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, lines: bufio.NewScanner(out)}
	if !p.lines.Scan() {
		return nil, fmt.Errorf("%s printed nothing", bin)
	}
	base, ok := strings.CutPrefix(p.lines.Text(), "listening on ")
	if !ok {
		return nil, fmt.Errorf("first line %q", p.lines.Text())
	}
	p.ws = "ws" + strings.TrimPrefix(base, "http") + "/ws"
	return p, nil
}

// stop ends the process as Ctrl-C would.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	_ = p.cmd.Wait()
}

// member is one client of the room, recording latencies.
type member struct {
	conn  *websocket.Conn
	ready chan struct{} // closed at its first presence: it has joined
	once  sync.Once
	mu    sync.Mutex
	lat   []time.Duration
	got   int
	last  uint64 // the id of the last message
	bad   int    // messages that came twice or out of order
	tally *tally
}

// tally counts the deliveries of a run, and closes done at the last.
type tally struct {
	mu      sync.Mutex
	n, want int
	done    chan struct{}
}

func (t *tally) add() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	if t.n == t.want {
		close(t.done)
	}
}

// reset starts a run of want deliveries and returns its done channel.
func (t *tally) reset(want int) <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n, t.want, t.done = 0, want, make(chan struct{})
	return t.done
}

// count returns the deliveries so far.
func (t *tally) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// read records every message's latency until the connection ends.
func (m *member) read() {
	for {
		_, data, err := m.conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		var w struct {
			Type string `json:"type"`
			ID   uint64 `json:"id"`
			Text string `json:"text"`
		}
		if json.Unmarshal(data, &w) != nil {
			continue
		}
		switch w.Type {
		case "presence":
			m.once.Do(func() { close(m.ready) })
		case "message":
			sent, err := strconv.ParseInt(strings.TrimPrefix(w.Text, "t="), 10, 64)
			if err != nil {
				continue
			}
			m.mu.Lock()
			m.lat = append(m.lat, now.Sub(time.Unix(0, sent)))
			m.got++
			if w.ID <= m.last {
				m.bad++
			}
			m.last = w.ID
			m.mu.Unlock()
			m.tally.add()
		}
	}
}

// join opens a member at ws and joins the room.
func join(ws, name string, t *tally) (*member, error) {
	conn, _, err := login.Dial(context.Background(), nil, ws, nil)
	if err != nil {
		return nil, err
	}
	m := &member{conn: conn, ready: make(chan struct{}), tally: t}
	if err := conn.WriteJSON(map[string]string{"type": "join", "room": "bench", "name": name}); err != nil {
		return nil, err
	}
	go m.read()
	return m, nil
}

func measure(clients, messages int, every time.Duration) error {
	dir, err := os.MkdirTemp("", "fanout-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "chat")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/websocket-in-go/workbook/chat").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	a, err := start(bin)
	if err != nil {
		return err
	}
	defer a.stop()
	if !a.lines.Scan() {
		return fmt.Errorf("process A did not print its NATS URL")
	}
	a.nats = strings.Fields(a.lines.Text())[len(strings.Fields(a.lines.Text()))-1]
	go func() {
		for a.lines.Scan() {
		}
	}()
	b, err := start(bin, "-nats", a.nats)
	if err != nil {
		return err
	}
	defer b.stop()

	deliveries := &tally{}
	var members []*member
	for i := range clients {
		ws := a.ws
		if i%2 == 1 {
			ws = b.ws
		}
		m, err := join(ws, fmt.Sprintf("m%d", i), deliveries)
		if err != nil {
			return fmt.Errorf("member %d: %w", i, err)
		}
		defer m.conn.Close()
		members = append(members, m)
	}
	for _, m := range members {
		select {
		case <-m.ready:
		case <-time.After(30 * time.Second):
			return fmt.Errorf("a member did not join within 30s")
		}
	}
	sender, _, err := login.Dial(context.Background(), nil, a.ws, nil)
	if err != nil {
		return err
	}
	defer sender.Close()
	if err := sender.WriteJSON(map[string]string{"type": "join", "room": "bench", "name": "sender"}); err != nil {
		return err
	}
	go func() { // the sender reads the room too, and does not count
		for {
			if _, _, err := sender.NextReader(); err != nil {
				return
			}
		}
	}()

	host, _ := os.Hostname()
	fmt.Printf("machine: %s, %s, %d CPUs (%s/%s), %s, load average %s\n", host, cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), loadAverage())
	fmt.Printf("room: %d members, %d on process A (with the embedded NATS server), %d on process B\n\n", clients, (clients+1)/2, clients/2)
	for _, run := range []struct {
		name  string
		pause time.Duration
	}{{"paced", every}, {"burst", 0}} {
		for _, m := range members {
			m.mu.Lock()
			m.lat, m.got, m.bad = m.lat[:0], 0, 0
			m.mu.Unlock()
		}
		want := clients * messages
		done := deliveries.reset(want)
		startAt := time.Now()
		for range messages {
			if err := sayTo(sender, "t="+strconv.FormatInt(time.Now().UnixNano(), 10)); err != nil {
				return err
			}
			if run.pause > 0 {
				time.Sleep(run.pause) // pacing the load, not synchronising
			}
		}
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			short := map[int]int{} // members by how many messages they got
			for i, m := range members {
				m.mu.Lock()
				if m.got < messages {
					short[m.got]++
					if short[m.got] == 1 {
						fmt.Fprintf(os.Stderr, "member %d (on %s) got %d\n", i, map[bool]string{true: "A", false: "B"}[i%2 == 0], m.got)
					}
				}
				m.mu.Unlock()
			}
			return fmt.Errorf("%s: %d of %d deliveries within 60s; members short, by messages got: %v", run.name, deliveries.count(), want, short)
		}
		elapsed := time.Since(startAt)
		var all []time.Duration
		bad := 0
		for _, m := range members {
			m.mu.Lock()
			all = append(all, m.lat...)
			bad += m.bad
			if m.got != messages {
				bad++
			}
			m.mu.Unlock()
		}
		if bad > 0 {
			return fmt.Errorf("%s: %d messages came twice, out of order, or not at all", run.name, bad)
		}
		slices.Sort(all)
		fmt.Printf("%s: %d messages to %d members (%d deliveries) in %v\n",
			run.name, messages, clients, want, elapsed.Round(time.Millisecond))
		fmt.Printf("  %.0f deliveries/s, %.1f messages/s\n",
			float64(want)/elapsed.Seconds(), float64(messages)/elapsed.Seconds())
		fmt.Printf("  every member got each message once, in id order\n")
		fmt.Printf("  fan-out latency, say to arrival: p50 %v, p90 %v, p99 %v, max %v\n",
			pct(all, 50), pct(all, 90), pct(all, 99), all[len(all)-1].Round(10*time.Microsecond))
	}
	return nil
}

// sayTo sends a say on c.
func sayTo(c *websocket.Conn, text string) error {
	return c.WriteJSON(map[string]string{"type": "say", "text": text})
}

// pct is the p-th percentile of sorted d.
func pct(d []time.Duration, p int) time.Duration {
	return d[(len(d)-1)*p/100].Round(10 * time.Microsecond)
}

// cpuModel is the first "model name" of /proc/cpuinfo, or GOARCH.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
			}
		}
	}
	return runtime.GOARCH
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}
