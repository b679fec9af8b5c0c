package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// goal is one performance target from the issue, reported against.
type goal struct {
	what  string
	name  string
	check func(r results) (measured string, met bool)
}

func us(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d.Nanoseconds())/1000) }

// medianRatio is a server's median round trip over raw TCP's.
func medianRatio(r results, name string) float64 {
	tcp := percentile(sortedCopy(r.rtt[r.names[0]]), 50)
	if tcp == 0 {
		return 0
	}
	return float64(percentile(sortedCopy(r.rtt[name]), 50)) / float64(tcp)
}

func ratioGoal(name string, limit float64) goal {
	return goal{fmt.Sprintf("%s: median round trip ≤ %.1f× raw TCP", name, limit), name, func(r results) (string, bool) {
		ratio := medianRatio(r, name)
		return fmt.Sprintf("%.2f×", ratio), ratio > 0 && ratio <= limit
	}}
}

// ANCHOR: spread

// roundRatios returns a server's ratio to raw TCP in each round: its median
// round trip over raw TCP's median in the same round, so that a round in
// which the whole machine was slower counts for every server alike.
func roundRatios(r results, name string) []float64 {
	tcp, own := r.roundRTT[r.names[0]], r.roundRTT[name]
	var out []float64
	for i := range min(len(tcp), len(own)) {
		if tcp[i] > 0 && own[i] > 0 {
			out = append(out, float64(own[i])/float64(tcp[i]))
		}
	}
	sort.Float64s(out)
	return out
}

// spread describes the ratios of the rounds: the median, and the middle
// half of the rounds (the 25th to the 75th percentile).
func spread(ratios []float64) string {
	if len(ratios) == 0 {
		return "not measured"
	}
	at := func(p float64) float64 { // linear interpolation between ranks
		pos := p * float64(len(ratios)-1)
		lo := int(pos)
		hi := min(lo+1, len(ratios)-1)
		return ratios[lo] + (pos-float64(lo))*(ratios[hi]-ratios[lo])
	}
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", at(0.5), at(0.25), at(0.75))
}

// ANCHOR_END: spread

var goals = []goal{
	ratioGoal("by hand", 1.5),
	ratioGoal("gorilla", 1.5),
	ratioGoal("x/net", 2),
	{"by hand: ≤ 6 KiB per idle connection at 10,000 connections", "by hand", func(r results) (string, bool) {
		v, ok := r.idle["by hand"][10000]
		if !ok {
			return "not measured (run without -quick)", false
		}
		return fmt.Sprintf("%.1f KiB", v/1024), v <= 6*1024
	}},
}

// writeReport prints the Markdown tables.
func writeReport(w io.Writer, cfg config, machine string, r results) {
	fmt.Fprintf(w, "Measured on %s; %s.\n\n", machine, cfg.setup)
	fmt.Fprintf(w, "| | %s |\n| --- |%s\n", strings.Join(r.names, " | "), strings.Repeat(" --- |", len(r.names)))
	row := func(label string, cell func(name string) string) {
		cells := make([]string, len(r.names))
		for i, n := range r.names {
			cells[i] = cell(n)
		}
		fmt.Fprintf(w, "| %s | %s |\n", label, strings.Join(cells, " | "))
	}
	row("round trip, 32 bytes: median", func(n string) string { return us(percentile(sortedCopy(r.rtt[n]), 50)) })
	row("round trip, 32 bytes: p99", func(n string) string { return us(percentile(sortedCopy(r.rtt[n]), 99)) })
	row("median ÷ raw TCP", func(n string) string { return fmt.Sprintf("%.2f×", medianRatio(r, n)) })
	row("÷ raw TCP per round: median (middle half)", func(n string) string { return spread(roundRatios(r, n)) })
	row(fmt.Sprintf("messages per second, %d connections", cfg.conns), func(n string) string {
		return fmt.Sprintf("%.0f", mean(r.throughput[n]))
	})
	for _, count := range cfg.idle {
		row(fmt.Sprintf("server memory per idle connection, %d connections", count), func(n string) string {
			if msg, ok := r.idleErr[n][count]; ok {
				return "not measured: " + msg
			}
			return fmt.Sprintf("%.1f KiB", r.idle[n][count]/1024)
		})
	}
	fmt.Fprintf(w, "\n%d interleaved rounds of %d round trips and %v of throughput per server; memory is the growth of the server process's RSS.\n\n",
		cfg.rounds, cfg.trips, cfg.window)
	fmt.Fprintln(w, "| goal | measured | met |\n| --- | --- | --- |")
	for _, g := range goals {
		measured, met := g.check(r)
		mark := "no"
		if met {
			mark = "yes"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", g.what, measured, mark)
	}
}
