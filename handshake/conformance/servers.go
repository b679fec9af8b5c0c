package conformance

import (
	"bufio"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Server is one of the workbook's echo servers, by the package that builds it.
type Server struct {
	Name    string
	Package string // relative to the module root
}

// Servers are the three echo servers the book compares.
var Servers = []Server{
	{"by hand", "./handshake/echo"},
	{"gorilla", "./echo-gorilla"},
	{"x/net", "./echo-xnet"},
}

// Process is a running server.
type Process struct {
	// URL is the base URL it printed, e.g. http://127.0.0.1:41234.
	URL  string
	cmd  *exec.Cmd
	done chan error
}

// WS returns the server's echo endpoint, ws://host:port/ws.
func (p *Process) WS() string { return "ws" + strings.TrimPrefix(p.URL, "http") + "/ws" }

// PID returns the server's process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// ModuleRoot returns the directory of the workbook's go.mod.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == "/dev/null" {
		return "", errors.New("not inside the workbook's module")
	}
	return filepath.Dir(gomod), nil
}

// Build compiles the server into dir and returns the binary's path.
func (s Server) Build(root, dir string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(s.Package))
	cmd := exec.Command("go", "build", "-o", bin, s.Package)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", s.Package, err, out)
	}
	return bin, nil
}

// Start runs a built server on a free loopback port and waits for its
// "listening on" line.
func Start(bin string) (*Process, error) {
	return StartCommand(bin, "-addr", "127.0.0.1:0")
}

// StartCommand runs bin with args and waits for it to print a line
// "listening on http://HOST:PORT".
func StartCommand(bin string, args ...string) (*Process, error) {
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, done: make(chan error, 1)}
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
		p.done <- cmd.Wait()
	}()
	select {
	case p.URL = <-urls:
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("%s exited before listening: %v", bin, err)
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("%s did not print its listening line", bin)
	}
}

// Stop sends SIGTERM and waits for the server to exit.
func (p *Process) Stop() error {
	killed := false
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		// Windows has no SIGTERM to send: stop it the only way there is.
		killed = p.cmd.Process.Kill() == nil
	}
	select {
	case err := <-p.done:
		if killed {
			return nil
		}
		return err
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		return errors.New("the server did not exit within 10 s of SIGTERM")
	}
}
