package chapters

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quotedNumbers are numbers that a chapter's sentence quotes from a
// recording it shows: recorded again with -update, the listing changes and
// the sentence must change with it. Each number is written as the chapter
// writes it (with commas) and as the recording prints it. A golden is a
// file of testdata/outputs, or a path from this directory.
var quotedNumbers = []struct {
	chapter, golden, quoted, recorded string
}{
	{"http2.md", "h2-bench.txt", "23,347 bytes (22.8 KiB)", "23347 B/conn"},
	{"http2.md", "h2-bench.txt", "against 4,051 (4.0 KiB)", "byhand-2 852987321 4051 B/conn"},
	{"http2.md", "h2-bench.txt", "at 16,798 bytes (16.4 KiB)", "byhand-in-ServeHTTP-2 907685996 16798 B/conn"},
	{"browser-client.md", "tap-bench.txt", "by-hand echo -0.6308 %", "byhand 26793 46758 ns/op -0.6308 %-tap-cost"},
	{"browser-client.md", "tap-bench.txt", "(11.75 against 5.994)", "tapped 104640120 11.75 ns/op"},
	{"browser-client.md", "tap-bench.txt", "(11.75 against 5.994)", "untapped 203585136 5.994 ns/op"},
	{"browser-client.md", "tap-bench.txt", "round trip of 22,352 ns", "22352 untapped-ns/rt"},
	{"browser-client.md", "tap-bench.txt", "75 allocations a round trip", "watched 12244 95563 ns/op 4408 B/op 75 allocs/op"},
	{"compression.md", "compression-memory.txt", "851,190 bytes (0.85 MB)", "takeover-2 807180217 851190 B/conn"},
	{"frames.md", "idle-memory.txt", "16,921 bytes (16.5 KiB)", "byhand-in-ServeHTTP-2 796401787 16921 B/conn"},
	{"frames.md", "idle-memory.txt", "against 4,555 (4.4 KiB)", "byhand-2 900274749 4555 B/conn"},
	{"side-by-side.md", echosizeRoom, "(20.62 µs before, 19.24 after)", "EchoSize/65536B 20.62µ ± 11% 19.24µ ± 2% -6.69%"},
	{"side-by-side.md", echosizeRoom, "16 KiB 5.49% less", "EchoSize/16384B 8.461µ ± 25% 7.997µ ± 3% -5.49%"},
	{"side-by-side.md", echosizeRoom, "(731.3 µs before, 340.4 after)", "EchoSize/1048576B 731.3µ ± 12% 340.4µ ± 17% -53.45%"},
	{"side-by-side.md", echosizeRoom, "0.65× (12.43 µs over 19.24)", "EchoSizeTCP/65536B 12.44µ ± 3% 12.43µ ± 2%"},
}

// echosizeRoom is the before and after of framing an echo in the room.
const echosizeRoom = "../handshake/perf/echosize-room.txt"

// TestQuotedNumbersAreRecorded: every number a sentence quotes from a
// recording is in that recording.
func TestQuotedNumbersAreRecorded(t *testing.T) {
	for _, q := range quotedNumbers {
		chapter, err := os.ReadFile(q.chapter)
		require.NoError(t, err)
		path := q.golden
		if !strings.Contains(path, "/") {
			path = filepath.Join(outputsDir, path)
		}
		golden, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Contains(t, strings.Join(strings.Fields(string(chapter)), " "), q.quoted, q.chapter)
		assert.Contains(t, strings.Join(strings.Fields(string(golden)), " "), q.recorded,
			"%s quotes %q from %s: record it again and change the sentence too", q.chapter, q.quoted, q.golden)
	}
}
