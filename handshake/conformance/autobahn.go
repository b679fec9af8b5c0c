package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The verdicts of the Autobahn TestSuite, the left column of its report.
// OK and NON-STRICT pass; INFORMATIONAL is no verdict; UNIMPLEMENTED means
// the server did not negotiate the feature (permessage-deflate).
var AutobahnVerdicts = []string{"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"}

// AutobahnGroup is one of Autobahn's numbered case groups.
type AutobahnGroup struct {
	ID, Name string
}

// AutobahnGroups are Autobahn's case groups, in its order. Group 8 does
// not exist; 11 was retired.
var AutobahnGroups = []AutobahnGroup{
	{"1", "framing"}, {"2", "ping and pong"}, {"3", "reserved bits"}, {"4", "opcodes"},
	{"5", "fragmentation"}, {"6", "UTF-8"}, {"7", "close"}, {"9", "limits and performance"},
	{"10", "auto-fragmentation"}, {"12", "permessage-deflate: payloads"},
	{"13", "permessage-deflate: parameters"},
}

// AutobahnResults are one server's verdicts, by case id ("6.2.3").
type AutobahnResults map[string]string

// ReadAutobahnReport reads the index.json of an Autobahn fuzzingclient
// report (one agent) and returns its verdicts.
func ReadAutobahnReport(dir string) (AutobahnResults, error) {
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	return parseAutobahnIndex(data)
}

// parseAutobahnIndex parses {"agent": {"1.1.1": {"behavior": "OK", ...}}}.
// A behaviour Autobahn no longer uses (NO_CLOSE) counts as FAILED, as in
// its own report.
func parseAutobahnIndex(data []byte) (AutobahnResults, error) {
	var index map[string]map[string]struct {
		Behavior string `json:"behavior"`
	}
	if err := json.Unmarshal(data, &index); err != nil {
		return nil, fmt.Errorf("autobahn index.json: %w", err)
	}
	if len(index) != 1 {
		return nil, fmt.Errorf("autobahn index.json: %d agents, want 1", len(index))
	}
	out := AutobahnResults{}
	for _, cases := range index {
		for id, c := range cases {
			v := c.Behavior
			if !slices.Contains(AutobahnVerdicts, v) {
				v = "FAILED"
			}
			out[id] = v
		}
	}
	return out, nil
}

// Failed returns the ids of the FAILED cases, in Autobahn's order.
func (r AutobahnResults) Failed() []string {
	var ids []string
	for id, v := range r {
		if v == "FAILED" {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, compareCaseIDs)
	return ids
}

// compareCaseIDs orders "6.2.10" after "6.2.9".
func compareCaseIDs(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(as), len(bs)) {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

// groupOf returns the group of a case id: "6" for "6.2.3".
func groupOf(id string) string {
	g, _, _ := strings.Cut(id, ".")
	return g
}

// CheckAutobahn compares a server's FAILED cases with the ones it is known
// to fail (nil for none). It reports every unexpected failure, and every
// known failure that now passes, so that the list stays exact.
func CheckAutobahn(r AutobahnResults, known map[string]string) error {
	var problems []string
	for _, id := range r.Failed() {
		if _, ok := known[id]; !ok {
			problems = append(problems, "FAILED, not on the known list: "+id)
		}
	}
	for id := range known {
		if v, ran := r[id]; ran && v != "FAILED" {
			problems = append(problems, fmt.Sprintf("on the known list but %s now: %s (take it off the list)", v, id))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("%d problems:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// ANCHOR: autobahn-table

// WriteAutobahnTable writes one Markdown table: a row per case group, a
// column per server, each cell the counts of its verdicts, e.g.
// "16 OK · 1 non-strict · 3 failed".
func WriteAutobahnTable(w io.Writer, names []string, results []AutobahnResults) {
	fmt.Fprintf(w, "| Autobahn group | cases | %s |\n| --- | ---: |%s\n", strings.Join(names, " | "), strings.Repeat(" --- |", len(names)))
	for _, g := range AutobahnGroups {
		cases := 0
		cells := make([]string, len(results))
		for i, r := range results {
			count := map[string]int{}
			n := 0
			for id, v := range r {
				if groupOf(id) == g.ID {
					count[v]++
					n++
				}
			}
			cases = max(cases, n)
			cells[i] = verdictCounts(count)
		}
		if cases == 0 {
			continue
		}
		fmt.Fprintf(w, "| %s %s | %d | %s |\n", g.ID, g.Name, cases, strings.Join(cells, " | "))
	}
}

// ANCHOR_END: autobahn-table

// verdictCounts writes counts in the order of AutobahnVerdicts.
func verdictCounts(count map[string]int) string {
	var parts []string
	for _, v := range AutobahnVerdicts {
		if n := count[v]; n > 0 {
			label := strings.ToLower(v)
			if v == "OK" {
				label = "OK"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, label))
		}
	}
	if len(parts) == 0 {
		return "not run"
	}
	return strings.Join(parts, " · ")
}

// ANCHOR: autobahn-known

// AutobahnKnown are the Autobahn cases each server is known to FAIL, with
// the reason. The check holds every server to exactly its list: a new
// failure fails CI, and so does a known one that starts to pass.
var AutobahnKnown = map[string]map[string]string{
	"by hand": nil,
	"gorilla": nil,
	"x/net":   xnetAutobahn,
}

// ANCHOR_END: autobahn-known

// ANCHOR: autobahn-xnet

// xnetAutobahn are the cases echo-xnet FAILS in a real run, each with the
// part of golang.org/x/net/websocket at fault: Receive answers pings and
// close frames inside the library, before the handler sees a byte, and it
// reads no RSV bit.
var xnetAutobahn = map[string]string{
	"2.5": "x/net answers a 126-byte ping (over the 125-byte limit of §5.5) with a " +
		"pong of the first 125 bytes, inside Receive",
	"3.1": "x/net ignores the RSV bits and hands the frame over as data",
	"3.2": "x/net ignores the RSV bits and hands the frame over as data",
	"3.3": "x/net ignores the RSV bits and hands the frame over as data",
	"3.4": "x/net ignores the RSV bits and hands the frame over as data",
	"3.5": "x/net ignores the RSV bits and hands the frame over as data",
	"3.6": "x/net ignores the RSV bits of a ping and answers it",
	"5.1": "x/net answers a fragmented ping (§5.5: control frames must not be " +
		"fragmented) with a pong before the handler can fail it",
	"7.3.2": "x/net hides the close frame's body: a 1-byte body is answered with 1000, " +
		"not 1002",
	"7.3.6": "x/net hides the close frame's body: a 126-byte close is answered with " +
		"1000, not 1002",
	"7.5.1": "x/net hides the close reason, so a reason that is not UTF-8 is answered " +
		"with 1000",
	"7.9.1": "x/net hides the close code, so code 0 (never valid) is answered with 1000",
	"7.9.2": "x/net hides the close code, so code 999 is answered with 1000",
	"7.9.3": "x/net hides the close code, so code 1004 (reserved) is answered with 1000",
	"7.9.4": "x/net hides the close code, so code 1005 (never sent) is answered " +
		"with 1000",
	"7.9.5": "x/net hides the close code, so code 1006 (never sent) is answered " +
		"with 1000",
	"7.9.6": "x/net hides the close code, so code 1016 (unassigned) is answered " +
		"with 1000",
	"7.9.7": "x/net hides the close code, so code 1100 is answered with 1000",
	"7.9.8": "x/net hides the close code, so code 2000 is answered with 1000",
	"7.9.9": "x/net hides the close code, so code 2999 is answered with 1000",
}

// ANCHOR_END: autobahn-xnet
