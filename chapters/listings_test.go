package chapters

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "renumber the listings' captions and references in place")

// uncaptioned are chapters whose listings are not held to captions yet,
// each with its reason. Remove a line when its page has captions.
var uncaptioned = map[string]string{}

// TestListings: every included code block in every chapter has a caption
// on the line above it, "Listing N.M — `file`: what it shows", naming the
// file it includes; the listings of chapter N are numbered N.1, N.2, …
// in order; and every "Listing N.M" in the text names a listing that
// exists. With -update it captions every listing that has none (naming
// its code) and renumbers captions and references in place.
func TestListings(t *testing.T) {
	chapters, err := Chapters(".")
	require.NoError(t, err)
	sections, err := Sections(".")
	require.NoError(t, err)

	texts := map[string]string{}
	all := map[string][]Listing{}
	others := map[string]string{}
	known := map[string]bool{}
	for _, ch := range chapters {
		data, err := os.ReadFile(ch)
		require.NoError(t, err)
		if *update {
			// A listing with no caption gets one that names its code, to be
			// numbered below; a person should then say what it shows.
			if captioned := Caption(ch, string(data)); captioned != string(data) {
				require.NoError(t, os.WriteFile(ch, []byte(captioned), 0o644))
				t.Logf("%s: captions added", ch)
				data = []byte(captioned)
			}
		}
		texts[ch] = string(data)
		listings, errs := Listings(ch, string(data))
		if uncaptioned[ch] == "" {
			for _, err := range errs {
				t.Error(err)
			}
		}
		all[ch] = listings
		for k, l := range listings {
			if l.Line == 0 {
				continue
			}
			n := sections[ch] + "." + strconv.Itoa(k+1)
			known[n] = true
			if _, ok := others[l.Number]; !ok {
				others[l.Number] = n
			}
		}
	}
	for _, ch := range chapters {
		if *update {
			renumbered := Renumber(texts[ch], sections[ch], all[ch], others)
			if renumbered != texts[ch] {
				require.NoError(t, os.WriteFile(ch, []byte(renumbered), 0o644))
				t.Logf("%s: renumbered", ch)
			}
			continue
		}
		for _, err := range Numbering(ch, sections[ch], all[ch]) {
			t.Error(err)
		}
		for _, err := range References(ch, texts[ch], known) {
			t.Error(err)
		}
	}
}

// TestListingRules checks the rules on small chapters.
func TestListingRules(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "SUMMARY.md"), []byte(
		"# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n- [Two](two.md)\n  - [Two A](two-a.md)\n- [Three](three.md)\n"), 0o644))
	sections, err := Sections(dir)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		filepath.Join(dir, "intro.md"): "", filepath.Join(dir, "one.md"): "1",
		filepath.Join(dir, "two.md"): "2", filepath.Join(dir, "two-a.md"): "2.1",
		filepath.Join(dir, "three.md"): "3",
	}, sections)

	block := func(target string) string { return "```go\n{{#include " + target + "}}\n```\n" }
	cases := []struct {
		name, text string
		errs       []string // substrings, in order
	}{
		{"captioned", "Listing 2.1 — `a/b.go`: b\n\n" + block("../a/b.go:x") + "\nAs Listing 2.1 shows.\n", nil},
		{"no caption", "Some text.\n\n" + block("../a/b.go:x"), []string{"has no caption"}},
		{"wrong file", "Listing 2.1 — `a/c.go`: c\n" + block("../a/b.go:x"), []string{"names a/c.go, the listing includes a/b.go"}},
		{"out of order", "Listing 2.2 — `a/b.go`: b\n" + block("../a/b.go:x") + "Listing 2.1 — `a/b.go`: b\n" + block("../a/b.go:y"),
			[]string{"Listing 2.2 should be Listing 2.1", "Listing 2.1 should be Listing 2.2"}},
		{"dangling reference", "Listing 2.1 — `a/b.go`: b\n" + block("../a/b.go:x") + "See Listing 2.7.\n", []string{"Listing 2.7: there is no such listing"}},
		{"caption alone", "Listing 2.1 — `a/b.go`: b\n\nJust text.\n", []string{"no included code block"}},
		{"markdown include needs none", "{{#include ../a/table.md}}\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch := "two.md"
			listings, errs := Listings(ch, tc.text)
			errs = append(errs, Numbering(ch, "2", listings)...)
			known := map[string]bool{}
			for k := range listings {
				known["2."+strconv.Itoa(k+1)] = true
			}
			errs = append(errs, References(ch, tc.text, known)...)
			require.Len(t, errs, len(tc.errs), "%v", errs)
			for i, want := range tc.errs {
				assert.ErrorContains(t, errs[i], want)
			}
		})
	}

	t.Run("caption", func(t *testing.T) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "b.go"), []byte(
			"package b\n// ANCHOR: x\nfunc (c *Conn) Read() {}\n// ANCHOR_END: x\n// ANCHOR: y-z\nvar n = 1\n// ANCHOR_END: y-z\n"), 0o644))
		ch := filepath.Join(dir, "two.md")
		text := "Intro.\n" + block("b.go:x") + "\nListing 2.1 — `" + filepath.ToSlash(filepath.Join("chapters", dir, "b.go")) +
			"`: kept\n\n" + block("b.go:y-z")
		got := Caption(ch, text)
		moved := strings.Replace(text, "`: kept", "`: kept", 1)
		moved = strings.Replace(moved, "b.go`: kept", "old.go`: kept", 1)
		assert.Equal(t, got, Caption(ch, moved), "a caption naming a file that moved is corrected")
		assert.Equal(t, "Intro.\n\nListing 0.0 — `"+filepath.ToSlash(filepath.Join("chapters", dir, "b.go"))+"`: `Conn.Read`\n\n"+
			block("b.go:x")+"\nListing 2.1 — `"+filepath.ToSlash(filepath.Join("chapters", dir, "b.go"))+"`: kept\n\n"+block("b.go:y-z"), got)
	})

	t.Run("renumber", func(t *testing.T) {
		text := "Listing 5.2 — `a/b.go`: b\n" + block("../a/b.go:x") + "Listing 5.1 — `a/b.go`: b\n" + block("../a/b.go:y") +
			"Listing 5.2 comes first, then Listing 5.1; Listing 4.3 is elsewhere.\n"
		listings, _ := Listings("two.md", text)
		got := Renumber(text, "2", listings, map[string]string{"4.3": "3.3"})
		assert.Equal(t, "Listing 2.1 — `a/b.go`: b\n"+block("../a/b.go:x")+"Listing 2.2 — `a/b.go`: b\n"+block("../a/b.go:y")+
			"Listing 2.1 comes first, then Listing 2.2; Listing 3.3 is elsewhere.\n", got)
	})
}
