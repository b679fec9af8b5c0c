package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is one running server process.
type server struct {
	cmd      *exec.Cmd
	url      string      // http://127.0.0.1:PORT, from its "listening on" line
	baseRSS  int64       // VmRSS before the first connection
	baseFDs  int         // open descriptors before the first connection
	stderr   *tailBuffer // what it logged
	done     chan error  // its exit
	stopOnce sync.Once
}

// startServer runs bin with args and waits for its "listening on" line.
func startServer(bin string, args ...string) (*server, error) {
	cmd := exec.Command(bin, args...)
	s := &server{cmd: cmd, stderr: &tailBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	remember(cmd.Process)
	urls := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if u, ok := strings.CutPrefix(lines.Text(), "listening on "); ok {
				select {
				case urls <- u:
				default:
				}
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case s.url = <-urls:
	case err := <-s.done:
		return nil, fmt.Errorf("%s exited before listening: %v: %s", bin, err, s.stderr)
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("%s did not print its listening line", bin)
	}
	if s.baseRSS, err = rss(s.pid()); err != nil {
		s.stop()
		return nil, err
	}
	if s.baseFDs, err = openFDs(s.pid()); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// addr is the server's host:port.
func (s *server) addr() string { return strings.TrimPrefix(s.url, "http://") }

// stop sends SIGTERM, and SIGKILL after 10 s.
func (s *server) stop() {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
}

func (s *server) usage() (usage, error) {
	r, err := rss(s.pid())
	if err != nil {
		return usage{}, err
	}
	fds, err := openFDs(s.pid())
	return usage{rss: r - s.baseRSS, conns: int64(fds - s.baseFDs)}, err
}

// rss returns a process's resident memory in bytes, from /proc/PID/status.
func rss(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmRSS line %q", line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// openFDs counts a process's open sockets: each connection is one (the
// runtime may open an epoll or a pipe of its own later; those are not).
func openFDs(pid int) (int, error) {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if link, err := os.Readlink(dir + "/" + e.Name()); err == nil && strings.HasPrefix(link, "socket:") {
			n++
		}
	}
	return n, err
}

// client is one client process, holding connections from one source address.
type client struct {
	source string
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Scanner
	held   int
}

// startClient runs this program again as a client from source to target.
func startClient(source, target string) (*client, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-client", source, "-target", target)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	remember(cmd.Process)
	return &client{source: source, cmd: cmd, in: in, out: bufio.NewScanner(out)}, nil
}

// dial asks the client for n more connections and waits for its answer.
func (c *client) dial(n int) error {
	if _, err := fmt.Fprintf(c.in, "dial %d\n", n); err != nil {
		return err
	}
	if !c.out.Scan() {
		return fmt.Errorf("client %s ended", c.source)
	}
	status, rest, _ := strings.Cut(c.out.Text(), " ")
	total, why, _ := strings.Cut(rest, " ")
	c.held, _ = strconv.Atoi(total)
	if status != "ok" {
		return fmt.Errorf("client %s holds %d: %s", c.source, c.held, why)
	}
	return nil
}

// stop closes the client's stdin, which closes its connections, and waits.
func (c *client) stop() {
	c.in.Close()
	_ = c.cmd.Wait()
}

// tailBuffer keeps the last 64 KiB a process logged: at the wall, the
// accept errors come after thousands of other lines.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	cut bool // the start was dropped: the first line may be a piece of one
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if extra := len(t.buf) - 64<<10; extra > 0 {
		t.buf = append(t.buf[:0], t.buf[extra:]...)
		t.cut = true
	}
	return len(p), nil
}

// String returns the whole lines kept.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if t.cut {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}
