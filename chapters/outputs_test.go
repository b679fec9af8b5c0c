package chapters

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/proxy"
	"github.com/websocket-in-go/workbook/web/webtest"
)

// outputsDir holds what the recorded commands printed; the chapters
// include these files.
const outputsDir = "testdata/outputs"

// recording is a session whose output a chapter shows: the commands as
// the reader types them, run one after the other in one bash at the top
// of the repository, and the golden file in outputsDir that keeps, for
// each, "$ ", the command and what it printed.
type recording struct {
	golden string
	// command is the session's one command; steps, if set, are its
	// commands, one after the other.
	command string
	steps   []step
	needs   []string // what the commands need: "chromium", "mdbook", "nginx", "curl", "jq", "openssl", "linux"
	// setup runs first, in the session's shell (so its variables and its
	// cd carry over), and is not shown; what it prints is dropped.
	setup string
	// slow: the commands take a minute or more. They run under CI=true
	// and with -update; elsewhere the recording is skipped, and says so.
	slow bool
	// measured matches the numbers a run measures (bytes, KiB, ns/op). The
	// golden keeps one real run's numbers, for the book to quote; the
	// comparison replaces them with "…", so it checks the shape of the
	// output (every line, every name, every unit) and not the machine.
	measured *regexp.Regexp
	// quick, if set, is run in place of command when not updating: the
	// same command at a smaller size (a benchmark at -benchtime=1x). Only
	// a measured recording may have one.
	quick string
	// unordered: lines that goroutines print concurrently (a client's and
	// a server's logs) are compared as a sorted list; the golden keeps
	// the order of the recorded run.
	unordered bool
	// isolated: the session runs in a network namespace of its own
	// (unshare -rn), with a loopback whose ports no other program uses,
	// and no network.
	isolated bool
	// fails: the command exits non-zero, and the output says so.
	fails bool
	// clean, if set, normalises what is volatile beyond webtest.Normalise.
	clean func(string) string
}

// step is one command of a session, and whether it must fail; show, if
// set, is the command as the chapter shows it (with /tmp/class for the
// session's own folder); into, if set, is the golden file its output goes
// to, in place of the recording's (a second listing from one session).
type step struct {
	run, show, into string
	fails           bool
}

// session returns the recording's steps: its one command, or its steps.
func (r recording) session() []step {
	if r.steps != nil {
		return r.steps
	}
	return []step{{run: r.command, fails: r.fails}}
}

// recordings are the outputs the chapters show. They run one after the
// other, to keep the load of `go test ./chapters` bounded.
var recordings = []recording{
	{
		golden:  "h2-gorilla.txt",
		command: `go test -count=1 -v -run 'TestH2BreaksAnUpgradeOnlyServer$' ./handshake/echo/`,
		needs:   []string{"chromium"},
	},
	{
		golden:  "h2-run-it.txt",
		command: `go test -count=1 -v -run 'TestH2|TestDialH2' ./handshake/ 2>&1 | grep -v '^=== RUN'`,
	},
	{
		golden: "h2-wire.txt",
		command: `GODEBUG=http2xconnect=1,http2debug=2 \
  go test -count=1 -v -run 'TestH2Echo$' ./handshake/ 2>&1 |
  grep -E -e 'wrote (SETTINGS len|HEADERS)|Transport encoding|header ":status"' \
    -e 'wrote DATA stream=1 len=(23|19) ' | cut -c21- | sed 's/, /\n    /g'`,
		unordered: true,
		clean: func(s string) string {
			// The client's frame is masked with a random key: keep its
			// first two bytes (FIN and opcode; MASK and length).
			return regexp.MustCompile(`(data="\\x81\\x91)[^\n]*"`).ReplaceAllString(s, `$1…"`)
		},
	},
	{
		golden:   "h2-bench.txt",
		command:  `go test -run '^$' -bench IdleMemory ./handshake/`,
		quick:    `go test -run '^$' -bench IdleMemory -benchtime 1x ./handshake/`,
		measured: regexp.MustCompile(`\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:   "compression-memory.txt",
		command:  `go test -run '^$' -bench 'Memory$' ./handshake/`,
		quick:    `go test -run '^$' -bench 'Memory$' -benchtime 1x ./handshake/`,
		measured: regexp.MustCompile(`\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:   "idle-memory.txt",
		command:  `go test -run '^$' -bench 'IdleMemory$' ./handshake/`,
		quick:    `go test -run '^$' -bench 'IdleMemory$' -benchtime 1x ./handshake/`,
		measured: regexp.MustCompile(`\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:   "mask-bench.txt",
		command:  `taskset -c 1 go test -run '^$' -bench 'Mask$|EchoSize' -benchmem ./handshake/`,
		quick:    `taskset -c 1 go test -run '^$' -bench 'Mask$|EchoSize' -benchmem -benchtime 1x ./handshake/`,
		needs:    []string{"linux"}, // taskset
		measured: regexp.MustCompile(`\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:   "deflate-bench.txt",
		command:  `taskset -c 1 go test -run '^$' -bench 'EchoDeflate' -benchmem ./handshake/`,
		quick:    `taskset -c 1 go test -run '^$' -bench 'EchoDeflate' -benchmem -benchtime 1x ./handshake/`,
		needs:    []string{"linux"}, // taskset
		measured: regexp.MustCompile(`\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:   "tap-bench.txt",
		command:  `taskset -c 1 go test -run '^$' -bench . -benchmem ./web/tap/`,
		quick:    `taskset -c 1 go test -run '^$' -bench . -benchmem -benchtime 1x ./web/tap/`,
		needs:    []string{"linux"}, // taskset
		measured: regexp.MustCompile(`[-+]?\b\d+(\.\d+)?\b|(?m)^cpu: .*$`),
	},
	{
		golden:  "h2-chromium.txt",
		command: `go test -count=1 -v -run 'H2' ./handshake/echo/`,
		needs:   []string{"chromium"},
	},
	{
		golden:  "h2-test-it.txt",
		command: `go test -count=1 -run 'H2|Stream' ./handshake/ ./handshake/echo/`,
		needs:   []string{"chromium"},
	},
	{
		golden:   "claimed-lengths.txt",
		command:  `go test -count=1 -v -run 'TestClaimedLengthsCostNothing$' ./handshake/echo/`,
		needs:    []string{"linux"}, // it reads /proc
		measured: regexp.MustCompile(`\b\d+(\.\d+)?s?\b`),
	},
	{
		golden:  "nginx-sends.txt",
		command: `go test -count=1 -v -run 'TestWhatNginxSends' ./web/proxy/`,
		needs:   []string{"nginx"},
	},
	{
		golden:  "nginx-naive.txt",
		command: `go test -count=1 -v -run TestNaiveNginx ./web/proxy/ | grep -vE '^(=== |ok|PASS)|--- '`,
		needs:   []string{"nginx"},
	},
	{
		golden: "tls-flags.txt",
		steps: []step{
			{run: `go run ./echo-gorilla -tls-cert cert.pem`, fails: true},
			{run: `go run ./echo-gorilla -tls-self-signed -tls-cert cert.pem -tls-key key.pem`, fails: true},
			{run: `go run ./echo-gorilla -tls-cert cert.pem -tls-key key.pem`, fails: true},
		},
	},
	{
		// The reader's session on port 1234, in a namespace of its own: the
		// server with a self-signed certificate, then OpenSSL and curl.
		golden: "tls-run-it.txt",
		setup: `class=$(mktemp -d) &&
trap 'kill $server 2>/dev/null; rm -rf "$class"' EXIT &&
go build -o "$class/echo-gorilla" ./echo-gorilla &&
workbook=$PWD && cd "$class"`,
		steps: []step{
			{
				run: `(cd "$workbook" && exec "$class/echo-gorilla" -tls-self-signed) >server.log 2>&1 &
server=$!
for i in $(seq 200); do grep -q '^listening on' server.log && break; sleep 0.05; done
cat server.log`,
				show: `go run ./echo-gorilla -tls-self-signed`,
			},
			{run: `openssl s_client -connect localhost:1234 </dev/null 2>/dev/null |
  openssl x509 > cert.pem`},
			{run: `openssl x509 -in cert.pem -noout -fingerprint -sha256`},
			{run: `openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | base64`},
			{run: `curl -sS https://localhost:1234/ -o /dev/null`, fails: true},
			{run: `curl -sS --cacert cert.pem https://localhost:1234/ -o /dev/null \
  -w '%{http_code} %{http_version}\n'`},
			{run: `curl -s http://localhost:1234/ws`},
		},
		needs:    []string{"openssl", "curl"},
		isolated: true,
		// The certificate is new at every start: its fingerprints and its
		// end of validity change, and the golden keeps one run's.
		// (in halves of 16 bytes in the server's lines).
		measured: regexp.MustCompile(`([0-9A-F]{2}:){15}[0-9A-F]{2}:?|[A-Za-z0-9+/]{43}=|\d{4}-\d\d-\d\d \d\d:\d\d UTC`),
		// OpenSSL's fingerprint, 114 columns on one line, is shown in two
		// halves, one under the other, as the server prints its own.
		clean: func(s string) string {
			return regexp.MustCompile(`(?m)^(sha256 Fingerprint=)((?:[0-9A-F]{2}:){16})`).
				ReplaceAllString(s, "$1$2\n                   ")
		},
	},
	{
		golden: "wss-tests.txt",
		command: `go test -count=1 -v -run 'TestEveryServerSpeaksWSS|TestBrowserEchoesOverWSS' \
    ./web/serve 2>&1 | grep -v '^=== RUN'`,
		needs: []string{"chromium"},
		slow:  true,
	},
	{
		golden:  "nginx-spreads.txt",
		command: `go test -count=1 -v -run TestNginxSpreadsAndSkips ./web/proxy 2>&1 | grep -v '^=== RUN'`,
		needs:   []string{"nginx"},
	},
	{
		golden: "nginx-tls.txt",
		command: `go test -count=1 -v \
    -run 'TestNginxEndsTLS|TestNginxTLSForwardedProto|TestBrowserThroughNginxTLS' \
    ./web/proxy 2>&1 | grep -v '^=== RUN'`,
		needs: []string{"nginx", "chromium"},
	},
	{
		golden: "nginx-none.txt",
		steps: []step{
			{
				// CI=true would make it fail, as the next step shows.
				run: `env -u CI NGINX=none go test -count=1 -v -run TestNginxSpreadsAndSkips ./web/proxy 2>&1 |
  grep -v '^=== RUN'`,
				show: `NGINX=none go test -count=1 -v -run TestNginxSpreadsAndSkips ./web/proxy 2>&1 |
  grep -v '^=== RUN'`,
			},
			{run: `CI=true NGINX=none go test -count=1 -run TestNginxSpreadsAndSkips ./web/proxy`, fails: true},
		},
	},
	{
		golden:  "proxy-tests.txt",
		command: `go test -count=1 -v ./web/proxy 2>&1 | grep -E '^ *(--- |PASS|FAIL|ok)'`,
		needs:   []string{"nginx", "chromium"},
		slow:    true,
	},
	{
		golden:  "check-after-01.txt",
		setup:   solvedFirst,
		command: `go run ./check`,
		fails:   true,
		clean:   cleanCheck,
	},
	{
		golden:  "check-04.txt",
		setup:   solvedFirst + " && { go run ./check || true; }",
		command: `go run ./check 04`,
		fails:   true,
		clean:   cleanCheck,
	},
	{
		golden:   "preflight-ready.txt",
		setup:    day1,
		command:  `go run ./check -preflight`,
		isolated: true,
		measured: machine,
	},
	{
		// The chapter's second preflight: no vendor/, an empty module cache,
		// no proxy, and another program (an echo server) on port 1234.
		golden: "preflight-not-ready.txt",
		setup: `class=$(mktemp -d)/class &&
trap 'kill $busy 2>/dev/null; rm -rf "$(dirname "$class")"' EXIT &&
go build -o "$class/busy" ./echo-xnet &&
(cd exercises && go run ./handout -only 01,02,03 -o "$class/day1") &&
cd "$class/day1"`,
		steps: []step{{
			run: `"$class/busy" -addr 127.0.0.1:1234 >/dev/null 2>&1 & busy=$!
for i in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/1234) 2>/dev/null && break; sleep 0.05; done
GOMODCACHE="$class/modcache" GOPROXY=off go run ./check -preflight; code=$?
kill $busy; (exit $code)`,
			show:  `go run ./check -preflight`,
			fails: true,
		}},
		isolated: true,
		measured: machine,
	},
	{
		golden: "grade.txt",
		setup:  threeStudents,
		steps: []step{
			{run: `go run ./check -pack -as ada && mv submission-ada.tar.gz ../collected/`, show: `go run ./check -pack -as ada`},
			{
				run:  `cd "$workbook/exercises" && go run ./grade -only 01,02,03 -o "$class/grades" "$class"/collected/*.tar.gz`,
				show: `go run ./grade -only 01,02,03 -o /tmp/class/grades /tmp/class/collected/*.tar.gz`,
			},
			{
				run: `jq "$bobsSecond" "$class/grades/results.json"`,
				show: `jq '` + bobsSecond + `' \
  /tmp/class/grades/results.json`,
				into: "results.txt",
			},
		},
		needs:    []string{"jq"},
		slow:     true,
		measured: regexp.MustCompile(`\(\d+(\.\d+)? s\)|\d+(\.\d+)? KiB|"seconds": [\d.]+`),
	},
	{
		golden:  "polling-inside-test-it.txt",
		command: `go test -count=1 -run 'SlowClient|SSESlow|Stalled|Lost|CountsEveryByte' ./polling/...`,
	},

	// Past one machine: the chat's sessions.
	{
		// Run it: what the reader's terminals show, in one shell: A and B in
		// the background, Bob listening on B while Ada says two things on A,
		// Cy on B while Bob is away, and Bob back on A with his cursor,
		// until A is stopped (Ctrl-C, here SIGINT). The programs that run in
		// the background until a signal ends them are built first: a signal
		// to go run would not reach the program it runs.
		golden: "chat-run-it.txt",
		setup:  chatSession,
		steps: []step{
			{
				run: `"$class/chat" >"$class/a.log" 2>&1 & a=$!
ready '^another chat' "$class/a.log" && cat "$class/a.log"`,
				show: `go run ./chat`,
			},
			{
				run: `nats=$(grep -o 'nats://[0-9.:]*' "$class/a.log" | head -1)
"$class/chat" -addr localhost:8081 -nats "$nats" >"$class/b.log" 2>&1 & b=$!
ready '^listening' "$class/b.log" && cat "$class/b.log"`,
				show: `go run ./chat -addr localhost:8081 -nats nats://127.0.0.1:PORT`,
			},
			{
				// Bob's terminal, while Ada's says two things, until Ctrl-C.
				run: `"$class/say" -ws ws://localhost:8081/ws -name bob -listen >"$class/bob.log" 2>&1 & bob=$!
ready presence "$class/bob.log" &&
"$class/say" -name ada "hello from A" "anyone on B?" >"$class/ada.log" 2>&1; echo $? >"$class/ada.code"
ready '"id":2' "$class/bob.log"; kill -INT $bob; wait $bob; code=$?
cat "$class/bob.log"; (exit $code)`,
				show: `go run ./chat/say -ws ws://localhost:8081/ws -name bob -listen`,
				into: "chat-run-talk.txt",
			},
			{
				run:  `cat "$class/ada.log"; (exit $(cat "$class/ada.code"))`,
				show: `go run ./chat/say -name ada "hello from A" "anyone on B?"`,
				into: "chat-run-talk.txt",
			},
			{
				run:  `go run ./chat/say -ws ws://localhost:8081/ws -name cy "you missed this"`,
				into: "chat-run-back.txt",
			},
			{
				// Bob again, on A, until A stops: its goodbye ends say with 1.
				run: `go run ./chat/say -name bob -since 2 -listen >"$class/bob.log" 2>&1 & bob=$!
ready presence "$class/bob.log" && kill -INT $a; wait $bob; code=$?
cat "$class/bob.log"; (exit $code)`,
				show:  `go run ./chat/say -name bob -since 2 -listen`,
				into:  "chat-run-back.txt",
				fails: true,
			},
		},
		isolated: true, // ports 8080 and 8081
		clean:    cleanChat,
	},
	{
		// Try it with curl: A and B run in the background (A's log in
		// a.log), and the curl commands of the section, then A's log.
		golden: "chat-curl.txt",
		setup: chatSession + ` &&
cd "$class" &&
{ "$class/chat" >a.log 2>&1 & a=$!; } &&
ready '^another chat' a.log &&
nats=$(grep -o 'nats://[0-9.:]*' a.log | head -1) &&
{ "$class/chat" -addr localhost:8081 -nats "$nats" >b.log 2>&1 & b=$!; } &&
ready '^listening' b.log &&
WS='-H Connection:Upgrade -H Upgrade:websocket -H Sec-WebSocket-Key:dGhlIHNhbXBsZSBub25jZQ== -H Sec-WebSocket-Version:13'`,
		steps: []step{
			{run: `curl -si -X POST http://localhost:8080/ticket`},
			{run: `curl -s -c jar -o /dev/null -D - http://localhost:8080/`},
			{run: `T=$(curl -s -b jar -X POST http://localhost:8080/ticket); echo $T`},
			// The socket opens, and stays open until curl gives up (exit 28).
			{run: `curl -si --max-time 1 $WS "http://localhost:8081/ws?ticket=$T"`, fails: true},
			{run: `curl -s $WS "http://localhost:8080/ws?ticket=$T"`},
			{run: `curl -s $WS "http://localhost:8080/ws?ticket=hello"`},
			{run: `curl -s $WS "http://localhost:8080/ws"`},
			{run: `curl -s -b jar -X POST http://localhost:8081/ticket; echo`},
			{run: `curl -si -b jar -X POST -H "Origin: http://evil.example" http://localhost:8080/ticket`},
			{run: `grep refused a.log | sed 's/ remote=/\n    remote=/'`, into: "chat-curl-log.txt"},
		},
		needs:    []string{"curl"},
		isolated: true, // ports 8080 and 8081
		// The dates, and the tickets, new at every request.
		measured: regexp.MustCompile(`\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT|[A-Za-z0-9_-]{43}`),
		clean:    cleanChat,
	},
	{
		golden: "chat-test-it.txt",
		command: `go test -count=1 -v -run 'SaidOnA|Resume|Slow|ClusterLoses|Failover' ./chat 2>&1 |
  grep -v -e '^=== RUN' -e ' WARN '`,
		slow: true, // half a minute or more: a NATS cluster loses a server
		// The times, the counts of the slow client, the line numbers, and
		// which of the three NATS servers led the stream.
		measured: regexp.MustCompile(`\b\d+(\.\d+)?(ms|s)?\b|\bn[123]\b`),
	},
	{
		golden: "chat-tickets.txt",
		command: `go test -count=1 -v -run 'Ticket|Session|ConcurrentRedeem|NotAHandshake' ./chat 2>&1 |
  grep -v -e '=== RUN.*/' -e '    --- '`,
		needs: []string{"chromium"},
		// The times, and how many of the flood's tickets the bucket held.
		measured: regexp.MustCompile(`\b\d+(\.\d+)?s?\b`),
	},

	// 100,000 connections, Three servers side by side and the course plan.
	{
		// The open-file limits of the shell the test runs in: the golden
		// keeps this machine's, the test compares their shape.
		golden:   "ulimit.txt",
		command:  `ulimit -Sn; ulimit -Hn`,
		measured: regexp.MustCompile(`(?m)^(\d+|unlimited)$`),
	},
	{
		golden:   "port-range.txt",
		command:  `cat /proc/sys/net/ipv4/ip_local_port_range`,
		needs:    []string{"linux"},
		measured: regexp.MustCompile(`\d+`),
	},
	{
		// Two echo-epoll processes on port 1234, in a namespace of its own,
		// then ss and curl; each server's output is its log, shown once it
		// listens.
		golden: "epoll-run-it.txt",
		setup: `class=$(mktemp -d) &&
trap 'kill $first $second 2>/dev/null; rm -rf "$class"' EXIT &&
go build -o "$class/echo-epoll" ./handshake/echo-epoll &&
: >"$class/first.log" && : >"$class/second.log"`,
		steps: []step{
			{
				run: `"$class/echo-epoll" -addr localhost:1234 >"$class/first.log" 2>&1 &
first=$!
for i in $(seq 200); do grep -q '^listening on' "$class/first.log" && break; sleep 0.05; done
cat "$class/first.log"`,
				show: `go run ./handshake/echo-epoll -addr localhost:1234 &`,
			},
			{
				run: `"$class/echo-epoll" -addr localhost:1234 >"$class/second.log" 2>&1 &
second=$!
for i in $(seq 200); do grep -q '^listening on' "$class/second.log" && break; sleep 0.05; done
cat "$class/second.log"`,
				show: `go run ./handshake/echo-epoll -addr localhost:1234 &`,
			},
			{run: `ss -Hltnp 'sport = :1234' | tr -s ' '`},
			{
				// curl gives up after its second (exit status 28): after
				// the 101 it has no WebSocket to speak.
				run: `curl -si --max-time 1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
  http://localhost:1234/ws`,
				fails: true,
			},
			{run: `curl -si -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 8' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
  http://localhost:1234/ws`},
		},
		needs:    []string{"linux", "curl"},
		isolated: true,
		// The two processes' ids.
		measured: regexp.MustCompile(`pid=\d+,fd=\d+`),
	},
	{
		// A small hold run: two servers at 1,000 connections. The full run
		// (100,000, three minutes) is the committed results.md.
		golden: "hold-small.txt",
		setup:  `class=$(mktemp -d) && trap 'rm -rf "$class"' EXIT`,
		steps: []step{{
			run: `go run ./handshake/echo-epoll/hold -counts 1000 -servers 'echo-epoll,by hand' -wall 0 \
  -out "$class/hold.md" -svg "$class/hold.svg"`,
			show: `go run ./handshake/echo-epoll/hold -counts 1000 -servers 'echo-epoll,by hand' -wall 0 \
  -out /tmp/hold.md -svg /tmp/hold.svg`,
		}},
		needs:    []string{"linux"},
		isolated: true,
		measured: regexp.MustCompile(`\b\d+(\.\d+)?(ms|s)?\b`),
		clean:    tmpFolder,
	},
	{
		golden:  "epoll-test-it.txt",
		command: `go test -count=1 ./handshake/echo-epoll/...`,
		needs:   []string{"linux"},
	},
	{
		golden: "side-by-side-test-it.txt",
		steps: []step{
			{run: `go test -count=1 ./handshake/conformance ./handshake/perf`},
			{run: `(cd handshake/perf/peers && go test -count=1 .)`},
		},
		clean: noDownloads,
	},
	{
		golden: "handout-list.txt",
		setup:  `class=$(mktemp -d) && trap 'rm -rf "$class"' EXIT`,
		steps: []step{
			{run: `cd exercises`},
			{run: `go run ./handout -o "$class/class"`, show: `go run ./handout -o /tmp/class`},
			// -list exits 1 until every exercise is solved.
			{run: `cd "$class/class" && go run ./check -list`, show: `cd /tmp/class && go run ./check -list`, fails: true},
		},
		clean: tmpFolder,
	},
	{
		golden: "handout-session.txt",
		setup:  `class=$(mktemp -d) && trap 'rm -rf "$class"' EXIT && cd exercises`,
		steps: []step{
			{run: `go run ./handout -session 3 -o "$class/s3"`, show: `go run ./handout -session 3 -o /tmp/s3`},
			{run: `cd "$class/s3" && go run ./check -list`, show: `cd /tmp/s3 && go run ./check -list`, fails: true},
			{run: `sed -n 3p README.md | cut -d, -f1`},
		},
		clean: tmpFolder,
	},
	{
		golden: "course-plan-tests.txt",
		command: `go test -count=1 ./chapters \
    -run 'CoursePlan|SpeakerNotes|ExercisesLinkBack|EndsWithItsExercises'`,
		// TestSpeakerNotesAreHiddenUntilTurnedOn builds the book and
		// opens it (and fails without them under CI=true).
		needs: []string{"mdbook", "chromium"},
	},
	{
		golden: "classroom-tests.txt",
		steps: []step{
			{run: `cd exercises`},
			{run: `go test -count=1 ./internal/classroom ./handout ./grade \
    -run 'Plans|EachSession|Forged|SealAlone|NoReference|EveryReference|ClassTimings'`},
		},
		slow: true,
	},
}

// chatSession is a setup: the chat and its client, built into a new
// folder $class, and ready, which waits (ten seconds at most) until the
// file $2 has a line that matches $1. The trap stops what the session
// started in the background ($a, $b, $bob).
const chatSession = `class=$(mktemp -d) &&
trap 'kill $a $b $bob 2>/dev/null; wait; rm -rf "$class"' EXIT &&
go build -o "$class/chat" ./chat && go build -o "$class/say" ./chat/say &&
ready() {
	for i in $(seq 200); do grep -q -e "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done
	echo "nothing matched $1 in $2 within 10 s"; cat "$2"; return 1
}`

// chatTime is a chat message's time, and chatCookie the value of a
// chat's session cookie: new at every run.
var (
	chatTime   = regexp.MustCompile(`"time":"[^"]*"`)
	chatCookie = regexp.MustCompile(`chat_session=[A-Za-z0-9_-]+`)
)

// cleanChat cuts what changes in the chat's sessions from run to run: the
// time of each message, the session cookie's value (also to keep its
// line within 90 columns), and the presence that depends on timing. A
// member whose say takes longer than presenceDelay (100 ms) is announced
// to the others, and unannounced when it leaves: of the presence lines a
// step prints, only the first naming bob alone, which every run has, is
// kept.
func cleanChat(s string) string {
	s = chatCookie.ReplaceAllString(chatTime.ReplaceAllString(s, `"time":"…"`), "chat_session=…")
	var kept []string
	shown := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, `< {"type":"presence"`) {
			if shown || !strings.HasSuffix(line, `"names":["bob"]}`) {
				continue
			}
			shown = true
		}
		kept = append(kept, line)
	}
	return strings.Join(kept, "\n")
}

// noDownloads drops the lines go prints while it fills an empty module
// cache (the peers' module, the first time).
func noDownloads(s string) string {
	return regexp.MustCompile(`(?m)^go: downloading .*\n`).ReplaceAllString(s, "")
}

// tmpFolder shows a session's own folder under /tmp (mktemp's
// /tmp/tmp.XXXXXXXXXX/s3) as the chapter names it (/tmp/s3).
func tmpFolder(s string) string {
	return regexp.MustCompile(`/tmp/tmp\.\w+/`).ReplaceAllString(s, "/tmp/")
}

// solvedFirst is a setup: a handout of the exercises in a new folder
// .../class, with exercise 01 solved (its reference solution in place of
// the stub), and the shell in it, as a student just after exercise 1.
const solvedFirst = `class=$(mktemp -d)/class &&
trap 'rm -rf "$(dirname "$class")"' EXIT &&
(cd exercises && go run ./handout -o "$class") &&
grep -v '^//go:build' exercises/01-long-poll/log_solution.go > "$class/01-long-poll/log.go" &&
cd "$class"`

// day1 is a setup: the first three exercises handed out, vendored, as
// /tmp/class/day1 is in the chapter, and the shell in it.
const day1 = `class=$(mktemp -d)/class &&
trap 'rm -rf "$(dirname "$class")"' EXIT &&
(cd exercises && go run ./handout -only 01,02,03 -vendor -o "$class/day1") &&
cd "$class/day1"`

// threeStudents is a setup: the first three exercises handed out to ada,
// who solves them all, bob, who solves the first, and eve, who empties
// the first exercise's test file; bob and eve pack their work into
// .../class/collected, and the shell is in ada's copy.
const threeStudents = `class=$(mktemp -d)/class &&
trap 'rm -rf "$(dirname "$class")"' EXIT &&
(cd exercises && go run ./handout -only 01,02,03 -o "$class/day1") &&
mkdir "$class/collected" &&
solve() {
	for f in exercises/"$2"/*_solution.go; do
		grep -v '^//go:build' "$f" > "$1/$2/$(basename "$f" _solution.go).go" || return 1
	done
} &&
for who in ada bob eve; do cp -r "$class/day1" "$class/$who" || exit 1; done &&
solve "$class/ada" 01-long-poll && solve "$class/ada" 02-server-sent-events && solve "$class/ada" 03-accept-key &&
solve "$class/bob" 01-long-poll &&
echo 'package longpoll' > "$class/eve/01-long-poll/log_test.go" &&
(cd "$class/bob" && go run ./check -pack -as bob && mv submission-bob.tar.gz ../collected/) &&
(cd "$class/eve" && go run ./check -pack -as eve && mv submission-eve.tar.gz ../collected/) &&
workbook=$PWD &&
bobsSecond='` + bobsSecond + `' &&
cd "$class/ada"`

// bobsSecond is the jq filter that shows bob's result for the second
// exercise from results.json, its lists and its output cut short.
const bobsSecond = `.[] | select(.submission == "bob") | .exercises[1]
  | .failed_tests |= .[:1] + ["…"] + .[-1:] | .output |= .[:60] + "…"`

// machine matches what the preflight finds that differs from machine to
// machine: the versions of Go and git, and where the browser is.
var machine = regexp.MustCompile(`Go \d+\.\d+(\.\d+)? on \w+/\w+|git version \S+|browser for the book's pages: \S+|C compiler \S+\)`)

// cleanCheck cuts what changes in the runner's output from run to run:
// the handout's folder (shown as /tmp/class) and the seconds a check took.
func cleanCheck(s string) string {
	s = regexp.MustCompile(`/tmp/tmp\.\w+/class`).ReplaceAllString(s, "/tmp/class")
	return regexp.MustCompile(`\b\d+(\.\d+)? s\)`).ReplaceAllString(s, "… s)")
}

// TestRecordedOutputs runs every command of recordings and compares what
// it printed, normalised (webtest.Normalise: times, ports, addresses),
// with its golden file; -update rewrites the files. They are the outputs
// the chapters show, so what the book shows is what the code does today.
// The commands run the workbook's own tests and tools as real processes,
// for a minute or more; -short skips them, and so does -race, whose run
// would only repeat the same commands more slowly.
func TestRecordedOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: the recorded commands take a minute or more (-short)")
	}
	if webtest.RaceEnabled && !*update {
		t.Skip("skipping under -race: the commands are the same as without it, and are compared there")
	}
	for _, r := range recordings {
		t.Run(r.golden, func(t *testing.T) {
			require.True(t, r.quick == "" || r.measured != nil, "only a measured recording may have a quick command")
			requireTools(t, r.needs)
			if r.isolated {
				err := exec.Command("unshare", "-rn", "true").Run()
				webtest.RequireTool(t, err == nil, "unshare -rn (a network namespace without root: util-linux, "+
					"and user namespaces enabled)", "apt-get install util-linux; sysctl kernel.unprivileged_userns_clone=1")
			}
			if r.slow && !*update && os.Getenv("CI") != "true" {
				t.Skip("skipping: a minute or more; it runs under CI=true, or with -update")
			}
			for name, got := range record(t, r) {
				compare(t, r, name, got)
			}
		})
	}
}

// compare writes got to the golden file name (-update), or compares it
// with the file, as r says.
func compare(t *testing.T, r recording, name, got string) {
	t.Helper()
	path := filepath.Join(outputsDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(outputsDir, 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: go test ./chapters -run TestRecordedOutputs -update")
	want := string(data)
	if r.measured != nil {
		want, got = shape(want, r.measured), shape(got, r.measured)
	}
	if r.unordered {
		want, got = sortLines(want), sortLines(got)
	}
	assert.Equal(t, want, got, "%s is out of date: go test ./chapters -run 'TestRecordedOutputs/%s' -update, and read the diff",
		path, r.golden)
}

// TestRecordedOutputsAreShown: every recording's file is included by a
// chapter, and every file in outputsDir is a recording's.
func TestRecordedOutputsAreShown(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	included := map[string]bool{}
	for _, ch := range chapters {
		data, err := os.ReadFile(ch)
		require.NoError(t, err)
		for _, inc := range Includes(ch, string(data)) {
			file, _, _ := strings.Cut(inc.Target, ":")
			included[filepath.Base(file)] = included[filepath.Base(file)] || filepath.Dir(file) == outputsDir
		}
	}
	recorded := map[string]bool{}
	for _, r := range recordings {
		assert.False(t, recorded[r.golden], "%s is recorded twice", r.golden)
		recorded[r.golden] = true
		assert.True(t, included[r.golden], "no chapter includes %s/%s", outputsDir, r.golden)
		for _, st := range r.steps {
			if st.into != "" {
				recorded[st.into] = true
				assert.True(t, included[st.into], "no chapter includes %s/%s", outputsDir, st.into)
			}
		}
	}
	files, err := filepath.Glob(filepath.Join(outputsDir, "*"))
	require.NoError(t, err)
	for _, f := range files {
		assert.True(t, recorded[filepath.Base(f)], "%s: no recording writes it (remove it)", f)
	}
}

// record runs the recording's session in one bash, so that its setup's
// folder and cd carry over from step to step, and returns what the
// chapter shows, by golden file: each step's command and its output,
// normalised.
func record(t *testing.T, r recording) map[string]string {
	t.Helper()
	var script strings.Builder
	// Every variable the setup sets is exported, for the steps that
	// run in a shell of their own (isolated).
	script.WriteString("set -o pipefail -o allexport\n")
	if r.setup != "" {
		script.WriteString("{\n" + r.setup + "\n} >/dev/null 2>&1 || { echo \"the setup failed\"; exit 99; }\n")
	}
	steps := r.session()
	for i, st := range steps {
		run := st.run
		if r.quick != "" && !*update {
			run = r.quick
		}
		fmt.Fprintf(&script, "printf '\\001%d\\n'\n{\n%s\n} 2>&1\nprintf '\\002%d %%d\\n' $?\n", i, run, i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	if r.isolated {
		// A private network namespace: its own loopback, whose ports are
		// free whatever else runs on this machine, and no network.
		cmd = exec.CommandContext(ctx, "unshare", "-rn", "bash", "-c", "ip link set lo up\n"+script.String())
	}
	cmd.WaitDelay = time.Second
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the session's shell:\n%s", out)
	files := map[string]string{}
	rest := string(out)
	for i, st := range steps {
		start, end := fmt.Sprintf("\001%d\n", i), fmt.Sprintf("\002%d ", i)
		_, after, ok := strings.Cut(rest, start)
		require.True(t, ok, "step %d did not start:\n%s", i, out)
		text, after, ok := strings.Cut(after, end)
		require.True(t, ok, "step %d did not end:\n%s", i, out)
		code, after, _ := strings.Cut(after, "\n")
		rest = after
		if st.fails {
			assert.NotEqual(t, "0", code, "%s should fail:\n%s", st.run, text)
		} else {
			assert.Equal(t, "0", code, "%s:\n%s", st.run, text)
		}
		shown := st.run
		if st.show != "" {
			shown = st.show
		}
		into := r.golden
		if st.into != "" {
			into = st.into
		}
		files[into] += "$ " + shown + "\n" + normalise(text, r)
	}
	return files
}

// normalise makes one step's output comparable from run to run.
func normalise(out string, r recording) string {
	// The exit status is part of what the chapter shows (2 for a usage
	// error): kept from webtest.Normalise, which hides it.
	text := exitStatus.ReplaceAllString(out, "exit\x00$1")
	if r.isolated {
		// In a namespace of its own, port 1234 is the one the session
		// chose (a port the kernel picks is 32768 or over): kept.
		text = strings.ReplaceAll(text, "127.0.0.1:1234", "127.0.0.1:\x001234")
	}
	if r.measured == nil {
		text = webtest.Normalise(text)
	} else {
		// Keep the measured numbers; only the ports and paths change.
		text = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(text, "127.0.0.1:PORT")
	}
	text = strings.ReplaceAll(text, "exit\x00", "exit status ")
	text = strings.ReplaceAll(text, "127.0.0.1:\x001234", "127.0.0.1:1234")
	text = logTime.ReplaceAllString(text, "")
	if r.clean != nil {
		text = r.clean(text)
	}
	return text
}

// exitStatus is go run's last line when the program fails.
var exitStatus = regexp.MustCompile(`exit status (\d+)`)

// logTime is the date and time log.Printf and slog's text handler put in
// front of a line.
var logTime = regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// shape replaces what a run measures with "…" and runs of spaces and tabs
// (which line the numbers up) with one space.
func shape(s string, measured *regexp.Regexp) string {
	s = measured.ReplaceAllString(webtest.Normalise(s), "…")
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(s, " ")
}

// sortLines returns the lines of s, sorted.
func sortLines(s string) string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// requireTools skips (or, under CI=true, fails) the test when a tool the
// command needs is missing.
func requireTools(t *testing.T, needs []string) {
	t.Helper()
	for _, tool := range needs {
		switch tool {
		case "chromium":
			webtest.RequireTool(t, webtest.ChromiumPath() != "", "Chromium", "apt-get install chromium")
		case "mdbook":
			webtest.RequireTool(t, mdbookPath() != "", "mdBook", "npm ci (at the top of the repository)")
		case "nginx":
			webtest.RequireTool(t, proxy.NginxPath() != "", "nginx", "apt-get install nginx")
		case "linux":
			if runtime.GOOS != "linux" {
				t.Skip("skipping: the command runs only on Linux")
			}
		case "openssl":
			_, err := exec.LookPath("openssl")
			webtest.RequireTool(t, err == nil, "OpenSSL", "apt-get install openssl")
		case "jq":
			_, err := exec.LookPath("jq")
			webtest.RequireTool(t, err == nil, "jq", "apt-get install jq")
		case "curl":
			_, err := exec.LookPath("curl")
			webtest.RequireTool(t, err == nil, "curl", "apt-get install curl")
		default:
			t.Fatalf("unknown tool %q", tool)
		}
	}
}
