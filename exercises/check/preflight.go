package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// preflightPorts are the ports the book's commands listen on: every server's
// default (-addr localhost:1234) and the second origin of the CSWSH demo
// and mdbook serve's default (3000).
var preflightPorts = []string{"1234", "3000"}

// finding is one line of the preflight: what was checked, whether it is
// fine, and what to do if not; optional ones do not fail the preflight.
type finding struct {
	ok, optional bool
	what, fix    string
}

// preflight checks that this machine can do the exercises, and prints what
// is missing and how to get it; it returns errUnsolved if something
// required is missing (the exit status is 1).
func preflight(ctx context.Context, w io.Writer, root string) error {
	checks := []func(context.Context, string) finding{checkGo, checkModules, checkRace, checkGit, checkChromium}
	for _, p := range preflightPorts {
		checks = append(checks, func(context.Context, string) finding { return checkPort(p) })
	}
	missing := 0
	for _, check := range checks {
		f := check(ctx, root)
		mark := "✓"
		switch {
		case !f.ok && f.optional:
			mark = "·"
		case !f.ok:
			mark = "✗"
			missing++
		}
		fmt.Fprintf(w, "%s %s\n", mark, f.what)
		if !f.ok && f.fix != "" {
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(f.fix, "\n", "\n    ")) // a line each, indented
		}
	}
	if missing > 0 {
		fmt.Fprintf(w, "\n%d thing(s) to fix before the course (✗); · is optional.\n", missing)
		return errUnsolved
	}
	fmt.Fprintln(w, "\nReady: go run ./check starts the first exercise.")
	return nil
}

// goOutput runs go with args in root, within 2 minutes, with extra
// environment variables.
func goOutput(ctx context.Context, root string, env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// goDirective is go.mod's go line.
var goDirective = regexp.MustCompile(`(?m)^go (\S+)`)

// checkGo: a Go toolchain at least as new as go.mod asks for (go run
// compiled this runner with it, so its version is runtime.Version()).
func checkGo(ctx context.Context, root string) finding {
	want := "?"
	if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		if m := goDirective.FindSubmatch(data); m != nil {
			want = string(m[1])
		}
	}
	return finding{ok: true, what: fmt.Sprintf("Go %s on %s/%s (the exercises ask for go %s or newer)", strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH, want)}
}

// checkModules: every module the exercises import is vendored or in the
// module cache, so that the room's network is not needed: go list with
// the proxy off tells.
func checkModules(ctx context.Context, root string) finding {
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		if out, err := goOutput(ctx, root, []string{"GOFLAGS=-mod=vendor", "GOPROXY=off"}, "list", "-deps", "-test", "./..."); err != nil {
			return finding{what: "the vendored modules", fix: "vendor/ is incomplete: " + firstLine(out)}
		}
		return finding{ok: true, what: "the modules the exercises need are vendored (no download needed)"}
	}
	if _, err := goOutput(ctx, root, []string{"GOPROXY=off", "GOFLAGS=-mod=mod"}, "list", "-deps", "-test", "./..."); err == nil {
		return finding{ok: true, what: "the modules the exercises need are in the module cache (works offline)"}
	}
	if out, err := goOutput(ctx, root, nil, "mod", "download"); err != nil {
		return finding{what: "the modules the exercises need (gorilla/websocket, x/net, testify)", fix: "not in the module cache, and the download failed:\n" + firstLine(out) +
			"\n(ask for the room's vendored handout, or run go mod download on a network)"}
	}
	return finding{ok: true, what: "the modules the exercises need: downloaded now into the module cache (works offline from here on)"}
}

// checkRace: the race detector needs cgo and a C compiler; without it the
// runner tests without -race (a data race then passes unnoticed).
func checkRace(ctx context.Context, root string) finding {
	out, err := goOutput(ctx, root, nil, "env", "CGO_ENABLED", "CC")
	fields := strings.Fields(out)
	if err == nil && len(fields) == 2 && fields[0] == "1" {
		if _, err := exec.LookPath(fields[1]); err == nil {
			return finding{ok: true, what: "the race detector (cgo, with the C compiler " + fields[1] + ")"}
		}
	}
	return finding{optional: true, what: "the race detector", fix: "needs cgo and a C compiler (Linux: apt install gcc; macOS: xcode-select --install; Windows: a gcc such as MSYS2's, then go env -w CGO_ENABLED=1); without it the concurrency exercises are checked without -race"}
}

// checkGit: the handout is a git repository; git shows a student's changes.
func checkGit(ctx context.Context, _ string) finding {
	path, err := exec.LookPath("git")
	if err != nil {
		return finding{what: "git", fix: "install git (Linux: apt install git; macOS: xcode-select --install; Windows: https://git-scm.com/download/win)"}
	}
	out, _ := exec.CommandContext(ctx, path, "--version").Output()
	return finding{ok: true, what: strings.TrimSpace(string(out))}
}

// chromiumNames are the browsers the book's browser tests can drive.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge"}

// chromiumPaths are where the browser is when it is not on PATH.
var chromiumPaths = []string{
	"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
	"/Applications/Chromium.app/Contents/MacOS/Chromium",
	`C:\Program Files\Google\Chrome\Application\chrome.exe`,
	`C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`,
}

// checkChromium: optional; the exercises need no browser, the book's
// pages and browser tests do.
func checkChromium(context.Context, string) finding {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return finding{ok: true, what: "a browser for the book's pages: " + p + " ($CHROMIUM)"}
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return finding{ok: true, what: "a browser for the book's pages: " + p}
		}
	}
	for _, p := range chromiumPaths {
		if _, err := os.Stat(p); err == nil {
			return finding{ok: true, what: "a browser for the book's pages: " + p}
		}
	}
	return finding{optional: true, what: "Chromium or Chrome", fix: "optional: the exercises need no browser; the book's demos open pages in one"}
}

// checkPort: the port is free on loopback.
func checkPort(port string) finding {
	l, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		return finding{what: "port " + port + " on localhost", fix: "in use (" + err.Error() + "):\n" +
			"stop what listens there, or give the servers another with -addr localhost:PORT"}
	}
	l.Close()
	return finding{ok: true, what: "port " + port + " on localhost is free"}
}

// firstLine is s's first line.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
