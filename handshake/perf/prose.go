package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The chapter "Which library should I pick?" prints no number of its own:
// every number in its prose is written by writeProse from the committed
// runs, into prose.md, which the chapter includes sentence by sentence
// (mdBook anchors). TestProseIsGenerated fails when a run changed and
// prose.md was not written again:
//
//	go run ./handshake/perf -prose

// proseRuns are the committed reports the prose reads, relative to this
// package's folder: the three pinned runs, the unpinned one, the quiet one.
var proseRuns = struct {
	pinned            []string
	unpinned, quietly string
}{
	pinned:   []string{"results-run1.md", "results-run2.md", "results-run3.md"},
	unpinned: "results-unpinned.md",
	quietly:  "results-quiet.md",
}

// proseFile is where writeProse's output is committed.
const proseFile = "prose.md"

// Column names of the report's server table (report.go writes them).
const (
	colRatio  = ratioColumn
	colTput   = "messages per second, 100 connections"
	colPerCPU = "messages per CPU-second"
	colBulk   = "64 KiB echo, MB/s"
	colIdle1k = "KiB per idle connection, 1,000"
	colIdle10 = "KiB per idle connection, 10,000"
	rawTCP    = "raw TCP echo"
	byHand    = "by hand"
)

// run is one committed report, read back.
type runReport struct {
	path  string
	busy  string                       // "CPUs 100% busy", from the setup line
	order []string                     // servers, in the table's order
	cells map[string]map[string]string // server → column → cell
	stats map[string]map[string]float64
}

var busyRE = regexp.MustCompile(`CPUs \d+% busy`)

// readRun parses a report written by perf.
func readRun(path string) (*runReport, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &runReport{path: path, cells: map[string]map[string]string{}}
	r.busy = busyRE.FindString(string(data))
	var header []string
	for line := range strings.Lines(string(data)) {
		cells := splitRow(line)
		switch {
		case header == nil:
			if len(cells) > 3 && cells[0] == "server" && slices.Contains(cells, colRatio) {
				header = cells
			}
		case len(cells) < 2:
			if len(r.order) > 0 {
				header = []string{} // the end of the table
			}
		case len(header) == 0 || strings.HasPrefix(cells[0], "---"):
		default:
			row := map[string]string{}
			for i, c := range cells {
				if i < len(header) {
					row[header[i]] = c
				}
			}
			r.cells[cells[0]] = row
			r.order = append(r.order, cells[0])
		}
	}
	if len(r.order) == 0 {
		return nil, fmt.Errorf("%s: no server table", path)
	}
	r.stats, _ = parseStatistics(string(data))
	return r, nil
}

// num is the first number in a cell: "1.11× (1.07–1.15)" → 1.11,
// "9,406" → 9406. A cell without one (a server not measured) is an error.
func (r *runReport) num(server, col string) (float64, error) {
	cell, ok := r.cells[server][col]
	if !ok {
		return 0, fmt.Errorf("%s: no %q for %s", r.path, col, server)
	}
	m := numRE.FindString(strings.ReplaceAll(cell, ",", ""))
	v, err := strconv.ParseFloat(m, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: no number in %q (%s, %s)", r.path, cell, server, col)
	}
	return v, nil
}

// spread is the middle half in a ratio cell: "1.11× (1.07–1.15)" → "1.07–1.15×".
func (r *runReport) spread(server string) string {
	m := spreadRE.FindStringSubmatch(r.cells[server][colRatio])
	if m == nil {
		return "?"
	}
	return m[1] + "–" + m[2] + "×"
}

var (
	numRE    = regexp.MustCompile(`-?\d+(\.\d+)?`)
	spreadRE = regexp.MustCompile(`\((\d+\.\d+)–(\d+\.\d+)\)`)
)

// short is how the prose names a server.
func short(server string) string {
	switch {
	case server == byHand:
		return "the by-hand server"
	case strings.HasPrefix(server, "nbio") && strings.Contains(server, "-inline"):
		return "nbio with `-inline`"
	case strings.HasPrefix(server, "nbio"):
		return "nbio"
	case strings.HasPrefix(server, "echo-epoll"):
		return "echo-epoll"
	}
	name, _, _ := strings.Cut(server, " v")
	return name
}

// label is short, but "by hand" where the by-hand server is one of a list.
func label(server string) string {
	if server == byHand {
		return byHand
	}
	return short(server)
}

// websocketServers are a run's servers but raw TCP.
func (r *runReport) websocketServers() []string {
	var out []string
	for _, s := range r.order {
		if s != rawTCP {
			out = append(out, s)
		}
	}
	return out
}

// commas writes an integer with thousands separators.
func commas(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// prose is writeProse's state: the runs, and the first error met, so the
// sentences read straight.
type prose struct {
	pinned          []*runReport
	unpinned, quiet *runReport
	err             error
}

func (p *prose) num(r *runReport, server, col string) float64 {
	v, err := r.num(server, col)
	if err != nil && p.err == nil {
		p.err = err
	}
	return v
}

func (p *prose) stat(r *runReport, label, server string) float64 {
	v, ok := r.stats[label][server]
	if !ok && p.err == nil {
		p.err = fmt.Errorf("%s: no statistic %q for %s", r.path, label, server)
	}
	return v
}

// anchor writes one included piece.
func anchor(w io.Writer, name, text string) {
	fmt.Fprintf(w, "<!-- ANCHOR: %s -->\n%s\n<!-- ANCHOR_END: %s -->\n\n", name, strings.TrimSpace(text), name)
}

// readProseRuns reads the committed runs from dir.
func readProseRuns(dir string) (*prose, error) {
	p := &prose{}
	for _, name := range proseRuns.pinned {
		r, err := readRun(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		p.pinned = append(p.pinned, r)
	}
	var err error
	if p.unpinned, err = readRun(filepath.Join(dir, proseRuns.unpinned)); err != nil {
		return nil, err
	}
	if p.quiet, err = readRun(filepath.Join(dir, proseRuns.quietly)); err != nil {
		return nil, err
	}
	return p, nil
}

// writeProse writes every sentence of the chapter that carries a number.
func writeProse(w io.Writer, p *prose) error {
	run1 := p.pinned[0]
	fmt.Fprintf(w, "<!-- Generated by: go run ./handshake/perf -prose, from %s, %s and %s. -->\n\n",
		strings.Join(proseRuns.pinned, ", "), proseRuns.unpinned, proseRuns.quietly)

	// How far apart the runs are by the median (the first version's statistic).
	const p50 = "p50 of each round, paired by round"
	worst, at := 0.0, ""
	for _, s := range run1.order {
		if unsteady[s] != "" || s == rawTCP {
			continue
		}
		var vs []float64
		for _, r := range p.pinned {
			vs = append(vs, p.stat(r, p50, s))
		}
		if _, d := medianAndDistance(vs); d > worst {
			worst, at = d, s
		}
	}
	anchor(w, "median-spread", fmt.Sprintf("by the median the three runs of this chapter differ by up to %.2f, for %s", worst, short(at)))
	anchor(w, "busy", fmt.Sprintf("%q", run1.busy))

	// Pinned against unpinned.
	width := func(r *runReport, s string) float64 {
		m := spreadRE.FindStringSubmatch(r.cells[s][colRatio])
		if m == nil {
			return 0
		}
		lo, _ := strconv.ParseFloat(m[1], 64)
		hi, _ := strconv.ParseFloat(m[2], 64)
		return hi - lo
	}
	times := func(s string) string {
		if width(run1, s) == 0 {
			return "?"
		}
		return fmt.Sprintf("%.1f", width(p.unpinned, s)/width(run1, s))
	}
	const pooled = "p50 of all round trips, pooled"
	inline, nbio := "", ""
	for _, s := range run1.order {
		if strings.HasPrefix(s, "nbio") {
			if strings.Contains(s, "-inline") {
				inline = s
			} else {
				nbio = s
			}
		}
	}
	anchor(w, "unpinned-busy", fmt.Sprintf("(%q against %q for the pinned ones)", p.unpinned.busy, run1.busy))
	anchor(w, "unpinned", fmt.Sprintf(`- the middle half of the rounds is wider unpinned: %s for the by-hand server unpinned, %s
  pinned (%s times as wide); %s against %s for gorilla (%s times);
- the statistics no longer tell the same story: by the median of all round trips, gorilla is
  %.2f× raw TCP unpinned, and nbio with `+"`-inline`"+` %.2f×, against %.2f× and %.2f× pinned;
- nbio's default goes from %.2f× pinned to %.2f× unpinned.`,
		p.unpinned.spread(byHand), run1.spread(byHand), times(byHand),
		p.unpinned.spread("gorilla"), run1.spread("gorilla"), times("gorilla"),
		p.stat(p.unpinned, pooled, "gorilla"), p.stat(p.unpinned, pooled, inline),
		p.stat(run1, pooled, "gorilla"), p.stat(run1, pooled, inline),
		p.num(run1, nbio, colRatio), p.num(p.unpinned, nbio, colRatio)))

	// Latency, run 1, fastest first; the unsteady ones apart.
	servers := run1.websocketServers()
	slices.SortStableFunc(servers, func(a, b string) int {
		return cmpFloat(p.num(run1, a, colRatio), p.num(run1, b, colRatio))
	})
	var parts []string
	for i := 0; i < len(servers); {
		if unsteady[servers[i]] != "" {
			i++
			continue
		}
		v := run1.cells[servers[i]][colRatio]
		v, _, _ = strings.Cut(v, " ")
		names := []string{label(servers[i])}
		j := i + 1
		for ; j < len(servers) && unsteady[servers[j]] == ""; j++ {
			w, _, _ := strings.Cut(run1.cells[servers[j]][colRatio], " ")
			if w != v {
				break
			}
			names = append(names, label(servers[j]))
		}
		parts = append(parts, strings.Join(names, " and ")+" "+v)
		i = j
	}
	var nbioRuns []float64
	for _, r := range p.pinned {
		nbioRuns = append(nbioRuns, p.num(r, nbio, colRatio))
	}
	anchor(w, "latency", fmt.Sprintf("**Latency** separates the servers by hundredths of raw TCP: %s. The exception is nbio\n  with its default executor, at %.2f×, and it is also the one ratio that does not repeat from run to\n  run (%.2f× to %.2f×)",
		strings.Join(parts, ", "),
		p.num(run1, nbio, colRatio), slices.Min(nbioRuns), slices.Max(nbioRuns)))

	// 64 KiB.
	bulkLo, bulkHi := "", ""
	for _, s := range run1.websocketServers() {
		if bulkLo == "" || p.num(run1, s, colBulk) < p.num(run1, bulkLo, colBulk) {
			bulkLo = s
		}
		if bulkHi == "" || p.num(run1, s, colBulk) > p.num(run1, bulkHi, colBulk) {
			bulkHi = s
		}
	}
	fastestEvery := 0
	for _, r := range p.pinned {
		best := ""
		for _, s := range r.websocketServers() {
			if best == "" || p.num(r, s, colBulk) > p.num(r, best, colBulk) {
				best = s
			}
		}
		if best == bulkHi {
			fastestEvery++
		}
	}
	anchor(w, "bulk", fmt.Sprintf("**64 KiB** echoes separate them far more: raw TCP moved %s MB/s, the WebSocket servers %s\n  (%s) to %s (%s)",
		commas(p.num(run1, rawTCP, colBulk)), commas(p.num(run1, bulkLo, colBulk)), short(bulkLo),
		commas(p.num(run1, bulkHi, colBulk)), short(bulkHi)))
	anchor(w, "bulk-fastest", fmt.Sprintf("%s was the fastest WebSocket server at this size in %d of the %d runs", short(bulkHi), fastestEvery, len(p.pinned)))

	// The quiet run's 64 KiB column, for the by-hand server.
	q := p.quiet
	mine := p.num(q, byHand, colBulk)
	var ahead, behind []string
	nextSlower, slower := "", 0.0
	for _, s := range q.websocketServers() {
		v := p.num(q, s, colBulk)
		switch {
		case s == byHand:
		case v > mine:
			behind = append(behind, fmt.Sprintf("%s's %s", short(s), commas(v)))
		case v > slower:
			nextSlower, slower = s, v
		}
	}
	if nextSlower != "" {
		ahead = append(ahead, fmt.Sprintf("%s's %s", short(nextSlower), commas(slower)))
	}
	where := ""
	if len(behind) > 0 {
		where += ", behind " + strings.Join(behind, " and ")
	} else {
		where += ", the fastest WebSocket server at this size"
	}
	if len(ahead) > 0 {
		where += ", ahead of " + strings.Join(ahead, "")
	}
	anchor(w, "quiet-busy", fmt.Sprintf("%q", q.busy))
	anchor(w, "quiet-bulk", fmt.Sprintf("the by-hand server's 64 KiB echo is %s MB/s, %.2f× raw TCP's %s (%.2f× in run 1)%s",
		commas(mine), mine/p.num(q, rawTCP, colBulk), commas(p.num(q, rawTCP, colBulk)),
		p.num(run1, byHand, colBulk)/p.num(run1, rawTCP, colBulk), where))

	// Memory per idle connection.
	mem := run1.websocketServers()
	slices.SortStableFunc(mem, func(a, b string) int {
		return cmpFloat(p.num(run1, a, colIdle10), p.num(run1, b, colIdle10))
	})
	var memParts []string
	for _, s := range mem {
		memParts = append(memParts, fmt.Sprintf("%s %s KiB", short(s), tenths(p.num(run1, s, colIdle10))))
	}
	anchor(w, "memory", fmt.Sprintf("**Memory per idle connection** at 10,000, in run 1: %s", strings.Join(memParts, ", ")))
	hand1k, quiet1k, raw1k := p.num(run1, byHand, colIdle1k), p.num(q, byHand, colIdle1k), p.num(run1, rawTCP, colIdle1k)
	relation := "even measures below"
	if hand1k >= raw1k && quiet1k >= p.num(q, rawTCP, colIdle1k) {
		relation = "measures above"
	}
	var hand10 []float64
	for _, r := range append(slices.Clone(p.pinned), q) {
		hand10 = append(hand10, p.num(r, byHand, colIdle10))
	}
	anchor(w, "memory-1k", fmt.Sprintf("At 1,000 connections the by-hand server (%.1f KiB in run 1, %.1f quiet) %s\n  raw TCP (%.1f)", hand1k, quiet1k, relation, raw1k))
	anchor(w, "memory-10k", fmt.Sprintf("raw TCP %.1f, by hand %.1f–%.1f", p.num(run1, rawTCP, colIdle10), slices.Min(hand10), slices.Max(hand10)))

	// Production's sum, and echo-gorilla's measurements, from run 1.
	hand, gor := p.num(run1, byHand, colIdle10), p.num(run1, "gorilla", colIdle10)
	anchor(w, "production-memory", fmt.Sprintf("%.1f KiB per idle connection for the by-hand server, %.1f KiB for\n"+
		"  gorilla's, at 10,000 connections (the growth of the server's RSS, in run 1 of `go run ./handshake/perf`).\n"+
		"  At 100,000 connections that would be %.2f GB against %.2f GB (100,000 × %.1f KiB, and × %.1f KiB)",
		hand, gor, 1e5*hand*1024/1e9, 1e5*gor*1024/1e9, hand, gor))
	anchor(w, "gorilla-measured", fmt.Sprintf("a 32-byte round trip takes %.2f× raw TCP's on gorilla's server (%.2f× on\n"+
		"  the by-hand one), the server spends %.1f µs of CPU per echo at 100 connections (the by-hand one\n"+
		"  %.1f), and an idle connection costs it %.1f KiB at 10,000 (the by-hand one %.1f)",
		p.num(run1, "gorilla", colRatio), p.num(run1, byHand, colRatio),
		p.num(run1, "gorilla", colServerCPU), p.num(run1, byHand, colServerCPU), gor, hand))

	// Throughput between the pinned runs.
	var tput, perCPU []float64
	for _, r := range p.pinned {
		tput = append(tput, p.num(r, rawTCP, colTput))
		perCPU = append(perCPU, p.num(r, rawTCP, colPerCPU))
	}
	anchor(w, "throughput", fmt.Sprintf("raw TCP's moved from %s to %s between the three runs. Per CPU-second it moved\n  less (%s to %s)",
		commas(slices.Min(tput)), commas(slices.Max(tput)), commas(slices.Min(perCPU)), commas(slices.Max(perCPU))))

	// The server's own CPU per message, run 1, least first.
	var cpuServers []string
	for _, s := range run1.order {
		if _, err := run1.num(s, colServerCPU); err == nil {
			cpuServers = append(cpuServers, s)
		}
	}
	slices.SortStableFunc(cpuServers, func(a, b string) int {
		return cmpFloat(p.num(run1, a, colServerCPU), p.num(run1, b, colServerCPU))
	})
	raw := p.num(run1, rawTCP, colServerCPU)
	var cpuParts []string
	for _, s := range cpuServers {
		v := p.num(run1, s, colServerCPU)
		part := fmt.Sprintf("%s %.1f µs", short(s), v)
		if s != rawTCP && raw > 0 {
			part += fmt.Sprintf(" (%.2f×)", v/raw)
		}
		cpuParts = append(cpuParts, part)
	}
	if len(cpuParts) == 0 && p.err == nil {
		p.err = fmt.Errorf("%s: no column %q", run1.path, colServerCPU)
	}
	var rawCPU, handCPU []float64
	for _, r := range p.pinned {
		rawCPU = append(rawCPU, p.num(r, rawTCP, colServerCPU))
		handCPU = append(handCPU, p.num(r, byHand, colServerCPU))
	}
	anchor(w, "server-cpu", fmt.Sprintf("in run 1, least first: %s. Like the messages per second, it moves between runs:\n"+
		"  from %.1f to %.1f µs for raw TCP in the three runs, from %.1f to %.1f µs for the by-hand server",
		strings.Join(cpuParts, ", "), slices.Min(rawCPU), slices.Max(rawCPU), slices.Min(handCPU), slices.Max(handCPU)))

	// The verdict's claims.
	coderFaster := 0
	for _, r := range p.pinned {
		for _, s := range r.order {
			if strings.HasPrefix(s, "coder/") && p.num(r, s, colBulk) > p.num(r, "gorilla", colBulk) {
				coderFaster++
			}
		}
	}
	anchor(w, "verdict-nbio", fmt.Sprintf("measured %.1f KiB per idle connection at 10,000 and, with `-inline`, a round trip of %.2f× raw\n  TCP's (run 1)",
		p.num(run1, inline, colIdle10), p.num(run1, inline, colRatio)))
	anchor(w, "verdict-coder", fmt.Sprintf("coder/websocket's 64 KiB echo was the faster of the two in %d of the %d runs", coderFaster, len(p.pinned)))
	return p.err
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// writeProseFile is -prose: it reads the committed runs beside this
// package and writes prose.md there.
func writeProseFile(root string) error {
	dir := filepath.Join(root, "handshake", "perf")
	p, err := readProseRuns(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := writeProse(&b, p); err != nil {
		return err
	}
	if b.Len() == 0 {
		return errors.New("nothing written")
	}
	return os.WriteFile(filepath.Join(dir, proseFile), []byte(b.String()), 0o644)
}
