package conformance

// Limit is a known departure of a server from RFC 6455: the outcome its
// case has, and why.
type Limit struct {
	Outcome Outcome
	Why     string
}

// ANCHOR: xnet-limits

// The reasons that several cases share.
const (
	ignoresRSV   = "x/net ignores the RSV bits and shows them to no one"
	hidesTheCode = "x/net hides the peer's close code, so the handler can only " +
		"answer 1000"
	checksNoCode = "x/net does not check close codes; the handler answers 1000"
)

// XNetLimits are the cases in which the x/net echo server does not pass,
// each with the reason, which lies in golang.org/x/net/websocket itself:
// every other case passes. (Fragments are not on the list: x/net's Receive
// returns frames, but the server's assembler, fed by the frame headers its
// wire sees, puts them back together into messages.) The tests hold the
// x/net server to exactly this table, so a change in the library shows up
// as a failing test.
var XNetLimits = map[string]Limit{
	"2.3": {Fail,
		"x/net answers an over-long ping with a pong of its first 125 bytes, inside " +
			"Receive, before the handler sees it (Autobahn 2.5 agrees)"},
	"5.4": {Fail,
		"x/net answers a fragmented ping with a pong, inside Receive, before the " +
			"handler can fail it (Autobahn 5.1 agrees)"},
	"3.1": {Fail, ignoresRSV},
	"3.2": {Fail, ignoresRSV},
	"3.3": {Fail, ignoresRSV},
	"7.2": {NonStrict,
		"x/net hides the peer's close code (Receive returns io.EOF), so the handler " +
			"can only answer 1000"},
	"7.3": {NonStrict, hidesTheCode},
	"7.4": {NonStrict, hidesTheCode},
	"7.5": {NonStrict, hidesTheCode},
	"7.6": {NonStrict, hidesTheCode},
	"7.7": {NonStrict, hidesTheCode},
	"7.8": {NonStrict,
		"x/net hides that the close had no code, so the handler answers 1000"},
	"7.9": {NonStrict,
		"x/net does not check close codes; the handler cannot see the code and answers " +
			"1000"},
	"7.10": {NonStrict, checksNoCode},
	"7.11": {NonStrict, checksNoCode},
	"7.12": {NonStrict, checksNoCode},
	"7.13": {NonStrict, checksNoCode},
	"7.14": {NonStrict, checksNoCode},
	"7.15": {NonStrict, checksNoCode},
	"7.16": {NonStrict, checksNoCode},
	"7.17": {NonStrict, checksNoCode},
	"7.18": {NonStrict, "x/net does not check the close body; the handler answers 1000"},
	"7.19": {NonStrict,
		"x/net does not check the close reason's UTF-8; the handler answers 1000"},
}

// ANCHOR_END: xnet-limits

// GorillaLimits are gorilla's two non-strict answers.
var GorillaLimits = map[string]Limit{
	"7.18": {NonStrict, "gorilla answers a 1-byte close body with a close frame without a code, not 1002"},
	"7.19": {NonStrict, "gorilla answers a close reason that is not UTF-8 with 1002, not 1007"},
}
