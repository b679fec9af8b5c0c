package conformance

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleIndex = `{"127_0_0_1_9001": {
	"1.1.1": {"behavior": "OK", "behaviorClose": "OK"},
	"1.1.2": {"behavior": "OK", "behaviorClose": "OK"},
	"6.2.3": {"behavior": "FAILED", "behaviorClose": "OK"},
	"6.2.10": {"behavior": "NO_CLOSE", "behaviorClose": "FAILED"},
	"6.4.1": {"behavior": "NON-STRICT", "behaviorClose": "OK"},
	"12.1.1": {"behavior": "UNIMPLEMENTED", "behaviorClose": "OK"}
}}`

func TestParseAutobahnIndex(t *testing.T) {
	r, err := parseAutobahnIndex([]byte(sampleIndex))
	require.NoError(t, err)
	assert.Equal(t, []string{"6.2.3", "6.2.10"}, r.Failed(), "in Autobahn's order; NO_CLOSE is a failure")

	_, err = parseAutobahnIndex([]byte(`{"a": {}, "b": {}}`))
	assert.Error(t, err, "one agent per report")
	_, err = parseAutobahnIndex([]byte(`not json`))
	assert.Error(t, err)
}

func TestCheckAutobahn(t *testing.T) {
	r, err := parseAutobahnIndex([]byte(sampleIndex))
	require.NoError(t, err)
	cases := []struct {
		name  string
		known map[string]string
		ok    bool
	}{
		{"both failures known", map[string]string{"6.2.3": "why", "6.2.10": "why"}, true},
		{"one failure unknown", map[string]string{"6.2.3": "why"}, false},
		{"a known failure now passes", map[string]string{"6.2.3": "why", "6.2.10": "why", "1.1.1": "why"}, false},
		{"a known case that did not run is fine", map[string]string{"6.2.3": "why", "6.2.10": "why", "9.1.1": "why"}, true},
		{"nothing known", nil, false},
	}
	for _, tc := range cases {
		err := CheckAutobahn(r, tc.known)
		if tc.ok {
			assert.NoError(t, err, tc.name)
		} else {
			assert.Error(t, err, tc.name)
		}
	}
}

func TestWriteAutobahnTable(t *testing.T) {
	r, err := parseAutobahnIndex([]byte(sampleIndex))
	require.NoError(t, err)
	var out bytes.Buffer
	WriteAutobahnTable(&out, []string{"a", "b"}, []AutobahnResults{r, {"1.1.1": "OK"}})
	s := out.String()
	assert.Contains(t, s, "| 1 framing | 2 | 2 OK | 1 OK |")
	assert.Contains(t, s, "| 6 UTF-8 | 3 | 1 non-strict · 2 failed | not run |")
	assert.Contains(t, s, "| 12 permessage-deflate: payloads | 1 | 1 unimplemented | not run |")
	assert.NotContains(t, s, "| 2 ping", "a group no server ran is left out")
}
