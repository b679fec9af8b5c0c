package webtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// browserTimeout bounds everything one browser test does.
const browserTimeout = 60 * time.Second

// chromiumNames are the programs tried, in order, when CHROMIUM is unset.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ChromiumPath returns the browser to drive: $CHROMIUM if set, else the first
// of chromium, chromium-browser, google-chrome found on PATH, else "".
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// RequireTool is what a test does when a tool it needs (a browser, mdBook)
// is missing: it skips with a message saying how to install it, except
// under CI=true, where the tool must be there and its absence fails the test.
func RequireTool(t testing.TB, found bool, what, install string) {
	t.Helper()
	if found {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found, and CI=true requires it: %s", what, install)
	}
	t.Skipf("skipping: %s not found (to install it: %s)", what, install)
}

// Browser starts a headless Chromium for the test and returns a chromedp
// context for one tab in it. The browser is closed when the test ends.
// Extra options (chromedp.Flag) come after the workbook's own, e.g. to
// trust a test's TLS certificate.
func Browser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := ChromiumPath()
	RequireTool(t, path != "", "Chromium", "apt-get install chromium")

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // Chromium refuses to start as root without it
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	opts = append(opts, extra...)
	ctx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(ctx)
	ctx, cancelTimeout := context.WithTimeout(ctx, browserTimeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	return ctx
}

// TrustSPKI is a Browser option that makes Chromium accept a certificate
// whose public key has one of these SHA-256 hashes (base64, as
// serve.SPKIHash gives them), and only such a certificate: its flag
// --ignore-certificate-errors-spki-list. Every other certificate error is
// still an error, unlike with --ignore-certificate-errors.
func TrustSPKI(hashes ...string) chromedp.ExecAllocatorOption {
	return chromedp.Flag("ignore-certificate-errors-spki-list", strings.Join(hashes, ","))
}

// LogText returns the text of the page's event log (#log).
func LogText(t testing.TB, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#log")))
	require.NoError(t, err, "reading #log")
	return text
}

// WaitForLog waits until the page's event log contains want, and fails the
// test with the log's text if it does not within the browser's deadline.
func WaitForLog(t testing.TB, ctx context.Context, want string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.PollFunction[chromedp.Void](
		`(want) => document.getElementById("log").textContent.includes(want)`,
		chromedp.WithPollingArgs(want),
		chromedp.WithPollingMutation(),
		chromedp.WithPollingTimeout(15*time.Second),
	))
	if err != nil {
		log, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.TextContent(chromedp.CSS("#log")))
		t.Fatalf("waiting for %q in #log: %v\nthe log says: %s", want, err, log)
	}
}

// EchoInPage opens the shared page at pageURL, waits until it is connected,
// types msg into #message, clicks #send, and waits for "Received: msg" in
// the log: the whole echo round trip as a person would do it.
func EchoInPage(t testing.TB, ctx context.Context, pageURL, msg string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageURL)), "opening %s", pageURL)
	WaitForLog(t, ctx, "connected to ")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS("#message")),
		chromedp.SendKeys(chromedp.CSS("#message"), msg),
		chromedp.Click(chromedp.CSS("#send")),
	), "typing and sending %q", msg)
	WaitForLog(t, ctx, "Received: "+msg)
}
