package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The chapter "100,000 connections" prints no number of its own: the
// sentences that carry one are written here, from the table as written
// into results.md (read back, so that a sentence and the table never
// disagree by a rounding), and the chapter includes them by anchor.
// `hold -prose` writes them again from a committed results.md without a
// new measurement; TestCommittedProse checks that they match the table.

// row is one line of the results table, as printed.
type row struct {
	server       string
	procs        int
	conns        int
	rssMiB       float64
	kib          float64
	perProcConns []int
	echoP50      float64 // ms
	echoP99      float64 // ms
	load         string
}

// readTable parses the table writeTable wrote.
func readTable(md string) ([]row, error) {
	var rows []row
	for line := range strings.Lines(md) {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 9 || strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] == "server" {
			continue
		}
		var r row
		var err error
		r.server = cells[0]
		if r.procs, err = strconv.Atoi(cells[1]); err != nil {
			return nil, fmt.Errorf("%s: processes %q", r.server, cells[1])
		}
		if r.conns, err = strconv.Atoi(cells[2]); err != nil {
			return nil, fmt.Errorf("%s: connections %q", r.server, cells[2])
		}
		if r.rssMiB, err = strconv.ParseFloat(strings.TrimSuffix(cells[3], " MiB"), 64); err != nil {
			return nil, fmt.Errorf("%s: RSS %q", r.server, cells[3])
		}
		if r.kib, err = strconv.ParseFloat(cells[4], 64); err != nil {
			return nil, fmt.Errorf("%s: KiB %q", r.server, cells[4])
		}
		for _, m := range procConnsRE.FindAllStringSubmatch(cells[5], -1) {
			n, _ := strconv.Atoi(m[1])
			r.perProcConns = append(r.perProcConns, n)
		}
		p50, p99, ok := strings.Cut(cells[7], " / ")
		r.echoP50, err = strconv.ParseFloat(p50, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s: echo %q", r.server, cells[7])
		}
		if r.echoP99, err = strconv.ParseFloat(p99, 64); err != nil {
			return nil, fmt.Errorf("%s: echo %q", r.server, cells[7])
		}
		r.load = cells[8]
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, errors.New("no results table")
	}
	return rows, nil
}

var (
	procConnsRE = regexp.MustCompile(`\((\d+)\)`)
	wallHeldRE  = regexp.MustCompile(`it holds (\d+)`)
	wallLimitRE = regexp.MustCompile(`open-file limit (\d+)`)
)

// The goals of issue 17, item 4, that the prose measures against.
const (
	goalKiB    = 1.5 // KiB of server RSS per idle connection
	goalEchoMS = 5.0 // a new connection's first echo, ms
)

// epollName is the readiness-loop server, as the table names it.
const epollName = "echo-epoll"

// writeProse writes the chapter's sentences with numbers, from the table
// and the wall section of results.md.
func writeProse(w io.Writer, md string) error {
	rows, err := readTable(md)
	if err != nil {
		return err
	}
	at := func(server string, conns int) (row, bool) {
		for _, r := range rows {
			if r.server == server && r.conns == conns {
				return r, true
			}
		}
		return row{}, false
	}
	fmt.Fprintln(w, "<!-- ANCHOR: prose -->")
	fmt.Fprintln(w, "<!-- The sentences of the chapter that carry a number, written from the table above (hold -prose). -->")

	if m := wallHeldRE.FindStringSubmatch(md); m != nil {
		n, _ := strconv.Atoi(m[1])
		proseAnchor(w, "wall-fit", fmt.Sprintf("so %s connections fit", commas(int64(n))))
	}
	if m := wallLimitRE.FindStringSubmatch(md); m != nil {
		n, _ := strconv.Atoi(m[1])
		proseAnchor(w, "limit", commas(int64(n)))
	}

	// The goroutine servers at 10,000: one process each.
	var tenK []row
	for _, r := range rows {
		if r.conns == 10000 && r.procs == 1 {
			tenK = append(tenK, r)
		}
	}
	slices.SortStableFunc(tenK, func(a, b row) int { return cmpFloat(a.kib, b.kib) })
	if len(tenK) > 0 {
		var parts []string
		for _, r := range tenK {
			parts = append(parts, fmt.Sprintf("%s %.2f KiB", r.server, r.kib))
		}
		lo, hi := tenK[0], tenK[len(tenK)-1]
		proseAnchor(w, "per-conn", fmt.Sprintf("The measurement below gives, per idle connection at 10,000, one process each: %s.\nAt 100,000 connections that would be %.1f GB for %s and %.1f GB for %s",
			strings.Join(parts, ", "), lo.kib*100000*1024/1e9, named(lo.server), hi.kib*100000*1024/1e9, named(hi.server)))
	}

	// echo-epoll at its largest count.
	var top row
	for _, r := range rows {
		if r.server == epollName && r.conns > top.conns {
			top = r
		}
	}
	if top.conns > 0 && len(top.perProcConns) > 0 {
		under := "under"
		if top.kib > goalKiB {
			under = "over"
		}
		within := "within"
		if top.echoP99 >= goalEchoMS {
			within = "outside"
		}
		proseAnchor(w, "figure", fmt.Sprintf(`At %s connections, echo-epoll's %d processes together hold
%.1f MiB more than when they started: %.2f KiB per connection, %s the goal of %g KiB, and
evenly spread (the kernel's hash gave each process between %s and %s connections)`,
			commas(int64(top.conns)), top.procs, top.rssMiB, top.kib, under, goalKiB,
			commas(int64(slices.Min(top.perProcConns))), commas(int64(slices.Max(top.perProcConns))))+".")
		proseAnchor(w, "figure-echo", fmt.Sprintf(`a new connection's first
echo is answered in %.2f ms (median) at %s connections, %.2f ms for the slowest 1%% of the new
connections: %s the goal of %g ms, on a machine whose load average was %s`,
			top.echoP50, commas(int64(top.conns)), top.echoP99, within, goalEchoMS, top.load))
	}

	// The first count, per process; and the price of one more connection.
	var counts []int
	for _, r := range rows {
		if r.server == epollName {
			counts = append(counts, r.conns)
		}
	}
	slices.Sort(counts)
	if len(counts) >= 2 {
		first, _ := at(epollName, counts[0])
		proseAnchor(w, "per-process", fmt.Sprintf("at %s connections that is spread over about %d connections per process",
			commas(int64(first.conns)), first.conns/max(first.procs, 1)))
		a, _ := at(epollName, counts[len(counts)-2])
		b, _ := at(epollName, counts[len(counts)-1])
		grew := b.rssMiB - a.rssMiB
		added := b.conns - a.conns
		proseAnchor(w, "added", fmt.Sprintf("from %s to %s connections the %d processes grew by\n%.1f − %.1f = %.1f MiB, about %.0f bytes for each of the %s added",
			commas(int64(a.conns)), commas(int64(b.conns)), b.procs, b.rssMiB, a.rssMiB, grew,
			grew*(1<<20)/float64(max(added, 1)), commas(int64(added))))
	}
	fmt.Fprintln(w, "<!-- ANCHOR_END: prose -->")
	return nil
}

// named is a server's name in a sentence.
func named(server string) string {
	if server == "by hand" {
		return "the by-hand server"
	}
	return server
}

// proseAnchor writes one sentence between anchors of its own.
func proseAnchor(w io.Writer, name, text string) {
	fmt.Fprintf(w, "<!-- ANCHOR: %s -->\n%s\n<!-- ANCHOR_END: %s -->\n", name, text, name)
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

// withProse returns results.md with its prose section written anew from
// its own table: whatever prose it had is replaced.
func withProse(md string) (string, error) {
	if i := strings.Index(md, "<!-- ANCHOR: prose -->"); i >= 0 {
		end := strings.Index(md, "<!-- ANCHOR_END: prose -->")
		if end < i {
			return "", errors.New("a prose section without its end")
		}
		md = md[:i] + strings.TrimLeft(md[end+len("<!-- ANCHOR_END: prose -->"):], "\n")
	}
	var b strings.Builder
	if err := writeProse(&b, md); err != nil {
		return "", err
	}
	md = strings.TrimRight(md, "\n") + "\n\n" + b.String()
	return md, nil
}
