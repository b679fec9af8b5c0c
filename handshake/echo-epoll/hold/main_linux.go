package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/websocket-in-go/workbook/handshake/conformance"
)

// kind is a server to measure.
type kind struct {
	name, pkg string
	procs     int // processes sharing the port; 1 for a server without SO_REUSEPORT
	// module is the directory of the go.mod that builds pkg, relative to
	// the workbook's root: "" for the workbook's own module, peersModule
	// for the libraries that are only measured.
	module string
}

// peersModule is perf's separate module of the peer libraries (coder,
// gobwas, nbio), so that the workbook's go.mod does not depend on them.
const peersModule = "handshake/perf/peers"

// build compiles k into dir: in its own module, so that a peer builds with
// its module's dependencies.
func (k kind) build(root, dir string) (string, error) {
	return conformance.Server{Name: k.name, Package: k.pkg}.Build(filepath.Join(root, k.module), dir)
}

func main() {
	source := flag.String("client", "", "internal: run as a client process from this local address")
	target := flag.String("target", "", "internal: the client's server, host:port")
	countsFlag := flag.String("counts", "1000,10000,100000", "connection counts to measure at")
	procs := flag.Int("procs", 6, "echo-epoll processes sharing the port")
	perClient := flag.Int("per-client", 17000, "most connections one client process holds (it has the same open-file limit)")
	probes := flag.Int("probes", 500, "new connections timed at each count")
	settle := flag.Duration("settle", 2*time.Second, "quiet time after the connections are open, before memory is read")
	only := flag.String("servers", "echo-epoll,by hand,gorilla,x/net,coder/websocket,gobwas/ws,nbio", "servers to measure")
	wallAt := flag.Int("wall", 20000, "connections asked of the by-hand server, to show the open-file limit (0: skip)")
	outMD := flag.String("out", "handshake/echo-epoll/hold/results.md", "Markdown table to write")
	outSVG := flag.String("svg", "chapters/figures/connections-memory.svg", "SVG figure to write")
	proseOnly := flag.Bool("prose", false, "only write the chapter's sentences again, from the table already in -out")
	flag.Parse()
	if *proseOnly {
		data, err := os.ReadFile(*outMD)
		if err == nil {
			var md string
			if md, err = withProse(string(data)); err == nil {
				err = os.WriteFile(*outMD, []byte(md), 0o644)
			}
		}
		if err != nil {
			fatal(err)
		}
		return
	}
	if *source != "" {
		clientMain(*source, *target)
		return
	}
	killOnSignal()
	var counts []int
	for f := range strings.SplitSeq(*countsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fatal(fmt.Errorf("bad -counts entry %q", f))
		}
		counts = append(counts, n)
	}
	slices.Sort(counts)
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fatal(err)
	}
	lim.Cur = lim.Max // the servers and clients inherit it
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	fmt.Printf("open-file limit per process: %d\n", lim.Max)

	all := []kind{
		{"echo-epoll", "./handshake/echo-epoll", *procs, ""},
		{"by hand", "./handshake/echo", 1, ""},
		{"gorilla", "./echo-gorilla", 1, ""},
		{"x/net", "./echo-xnet", 1, ""},
		// The peers of the chapter "Which library should I pick?", each
		// one process (nbio's pollers are goroutines of that process).
		{"coder/websocket", "./coder", 1, peersModule},
		{"gobwas/ws", "./gobwas", 1, peersModule},
		{"nbio", "./nbio", 1, peersModule},
	}
	root, err := conformance.ModuleRoot()
	if err != nil {
		fatal(err)
	}
	dir, err := os.MkdirTemp("", "hold")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(dir)
	started.Lock()
	started.dir = dir
	started.Unlock()

	m := &measurer{counts: counts, perClient: *perClient, probes: *probes, settle: *settle, limit: lim.Max}
	for _, k := range all {
		if !slices.Contains(strings.Split(*only, ","), k.name) {
			continue
		}
		bin, err := k.build(root, dir)
		if err != nil {
			fatal(err)
		}
		w := 0
		if k.name == "by hand" {
			w = *wallAt
		}
		if err := m.measure(k, bin, w); err != nil {
			fatal(fmt.Errorf("%s: %w", k.name, err))
		}
	}
	cmd := "go run ./handshake/echo-epoll/hold"
	if len(os.Args) > 1 {
		cmd += " " + strings.Join(os.Args[1:], " ")
	}
	var md, svg bytes.Buffer
	where := machine()
	if rev := conformance.Revision(root); rev != "" {
		where += "; " + rev
	}
	writeTable(&md, where, cmd, m.points, m.walls)
	fmt.Fprintf(&md, "\n%s\n", "The figure in chapters/figures/connections-memory.svg is drawn from the same run.")
	writeSVG(&svg, m.points, goalKiB, int64(lim.Max))
	out, err := withProse(md.String())
	if err != nil {
		fatal(err)
	}
	if err := os.WriteFile(*outMD, []byte(out), 0o644); err != nil {
		fatal(err)
	}
	if err := os.WriteFile(*outSVG, svg.Bytes(), 0o644); err != nil {
		fatal(err)
	}
	fmt.Printf("wrote %s and %s\n", *outMD, *outSVG)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "hold:", err)
	os.Exit(1)
}

// machine describes where the numbers were measured.
func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	var mem string
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
				mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
			}
		}
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return fmt.Sprintf("%s, %d cores%s, %s %s/%s, Linux %s", cpu, runtime.NumCPU(), mem,
		runtime.Version(), runtime.GOOS, runtime.GOARCH, strings.TrimSpace(string(kernel)))
}
