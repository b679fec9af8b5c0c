package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/websocket-in-go/workbook/web/serve"
)

// TestNATSFlag: a -nats value that is not a NATS URL is a usage mistake
// (exit 2); a NATS server that is not there is an error (exit 1), said at
// once rather than retried for ever.
func TestNATSFlag(t *testing.T) {
	cases := []struct {
		name  string
		nats  string
		usage bool   // a *serve.UsageError
		err   string // in the error
	}{
		{"a host:port without a scheme", "localhost:4222", true, "want nats://HOST:PORT"},
		{"an http URL", "http://localhost:4222", true, "want nats://HOST:PORT"},
		{"one good URL and one bad", "nats://127.0.0.1:4222,127.0.0.1:4223", true, "want nats://HOST:PORT"},
		{"nobody listening", "nats://127.0.0.1:1", false, "connecting to NATS at nats://127.0.0.1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-nats", tc.nats}, io.Discard)
			require.Error(t, err)
			var usage *serve.UsageError
			assert.Equal(t, tc.usage, errors.As(err, &usage), "usage error: %v", err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}
