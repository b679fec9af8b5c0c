package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// ANCHOR: statistics

// writeStatistics prints each server's ratio to raw TCP by other
// statistics than the report's, from the same rounds: the fastest, 10th,
// 25th or 50th percentile round trip, taken round by round and paired
// with raw TCP's in the same round (the median of those ratios), or of all
// the run's round trips pooled. Three runs in a row show which of them
// repeat on a busy machine.
func writeStatistics(w io.Writer, r results) {
	fmt.Fprintf(w, "| %s | %s |\n|%s\n", statisticsHeader, strings.Join(r.names[1:], " | "), strings.Repeat(" --- |", len(r.names)))
	for _, p := range []float64{0, 10, 25, 50} {
		for _, paired := range []bool{true, false} {
			label := fmt.Sprintf("p%v of each round, paired by round", p)
			if !paired {
				label = fmt.Sprintf("p%v of all round trips, pooled", p)
			}
			if p == 0 {
				label = strings.Replace(label, "p0", "fastest", 1)
			}
			cells := []string{label}
			for _, n := range r.names[1:] {
				cells = append(cells, fmt.Sprintf("%.3f", statRatio(r, n, p, paired)))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
	}
}

// ANCHOR_END: statistics

// statRatio is one cell of writeStatistics.
func statRatio(r results, name string, p float64, paired bool) float64 {
	if !paired {
		own, tcp := at(sortedCopy(r.rtt[name]), p), at(sortedCopy(r.rtt[r.names[0]]), p)
		if own == 0 || tcp == 0 {
			return 0
		}
		return float64(own) / float64(tcp)
	}
	tcp, own := r.blocks[r.names[0]], r.blocks[name]
	var rs []float64
	for i := range min(len(tcp), len(own)) {
		if a, b := at(own[i], p), at(tcp[i], p); a > 0 && b > 0 {
			rs = append(rs, float64(a)/float64(b))
		}
	}
	if len(rs) == 0 {
		return 0
	}
	sort.Float64s(rs)
	return quantile(rs, 0.5)
}

// at is the p-th percentile of sorted, p = 0 being the smallest.
func at(sorted []time.Duration, p float64) time.Duration {
	if p == 0 && len(sorted) > 0 {
		return sorted[0]
	}
	return percentile(sorted, p)
}
