package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// started is every process this run started, so that an interrupted run
// (Ctrl-C) leaves none behind.
var started struct {
	sync.Mutex
	procs []*os.Process
	dir   string // the folder with the built servers
}

// remember records a process this run started.
func remember(p *os.Process) {
	started.Lock()
	started.procs = append(started.procs, p)
	started.Unlock()
}

// killOnSignal kills every started process, by its id, on SIGINT or
// SIGTERM, and exits.
func killOnSignal() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		started.Lock()
		for _, p := range started.procs {
			_ = p.Kill()
		}
		_ = os.RemoveAll(started.dir)
		started.Unlock()
		fmt.Fprintf(os.Stderr, "hold: %v: stopped the %d processes it started\n", sig, len(started.procs))
		os.Exit(1)
	}()
}
