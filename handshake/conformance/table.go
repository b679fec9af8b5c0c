package conformance

import (
	"fmt"
	"io"
	"strings"
)

// symbols for the Markdown table.
var symbols = map[Outcome]string{Pass: "✓ pass", NonStrict: "≈ non-strict", Fail: "✗ fail"}

// WriteTable writes a Markdown table: one row per case, one column per
// server, then the totals. results[i] are the results of servers[i].
func WriteTable(w io.Writer, servers []string, results []map[string]Result) {
	fmt.Fprintf(w, "| case | %s |\n", strings.Join(servers, " | "))
	fmt.Fprintf(w, "| --- |%s\n", strings.Repeat(" --- |", len(servers)))
	for _, c := range Cases() {
		cells := make([]string, len(servers))
		for i := range servers {
			r := results[i][c.ID]
			cells[i] = symbols[r.Outcome]
			if r.Detail != "" {
				cells[i] += ": " + strings.ReplaceAll(r.Detail, "|", "\\|")
			}
		}
		fmt.Fprintf(w, "| %s %s: %s | %s |\n", c.ID, c.Group, c.Name, strings.Join(cells, " | "))
	}
	totals := make([]string, len(servers))
	for i := range servers {
		count := map[Outcome]int{}
		for _, r := range results[i] {
			count[r.Outcome]++
		}
		totals[i] = fmt.Sprintf("%d pass, %d non-strict, %d fail", count[Pass], count[NonStrict], count[Fail])
	}
	fmt.Fprintf(w, "| **total (%d cases)** | %s |\n", len(Cases()), strings.Join(totals, " | "))
}
