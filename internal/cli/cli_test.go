package cli

import (
	"bytes"
	"flag"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Edit distances worked by hand (Levenshtein: kitten → sitting is the
// textbook 3).
func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{{"kitten", "sitting", 3}, {"", "abc", 3}, {"abc", "", 3}, {"psg slep", "psg sleep", 1}, {"µV", "uV", 1}, {"fit", "fti", 2}, {"same", "same", 0}}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"psg sleep", "psg legs", "psg info", "mrs fit", "demo"}
	cases := []struct {
		word string
		want []string
	}{{"psg slep", []string{"psg sleep"}}, {"dmeo", []string{"demo"}}, {"zzzzzzzzzz", nil}, {"psg leg", []string{"psg legs"}}}
	for _, c := range cases {
		if got := Suggest(c.word, cands); !slices.Equal(got, c.want) {
			t.Errorf("Suggest(%q) = %v, want %v", c.word, got, c.want)
		}
	}
}

func TestWrap(t *testing.T) {
	text := strings.Repeat("word ", 50)
	lines := Wrap("  cmd  ", text, 40, 9)
	if !strings.HasPrefix(lines[0], "  cmd  word") {
		t.Errorf("first line %q", lines[0])
	}
	n := 0
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 40 {
			t.Errorf("line of %d runes: %q", utf8.RuneCountInString(l), l)
		}
		n += strings.Count(l, "word")
	}
	if n != 50 || !strings.HasPrefix(lines[1], strings.Repeat(" ", 9)+"word") {
		t.Errorf("%d words, lines %q", n, lines)
	}
	if l := Wrap("", strings.Repeat("x", 60), 40, 2); len(l) != 1 {
		t.Errorf("a word longer than the width is split: %q", l)
	}
}

func TestPrintFlagsAndAlias(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	n := fs.Int("n-cpus", 0, "workers; 0: every CPU")
	Alias(fs, "jobs", "n-cpus")
	fs.Float64("te", 30, "echo time in `ms`")
	if err := fs.Parse([]string{"--jobs", "3"}); err != nil || *n != 3 {
		t.Fatalf("alias: %v, n = %d", err, *n)
	}
	var b bytes.Buffer
	PrintFlags(&b, fs)
	want := "  --n-cpus INT (also --jobs)\n      workers; 0: every CPU\n  --te MS\n      echo time in ms (default 30)\n"
	if b.String() != want {
		t.Errorf("PrintFlags:\n%s\nwant:\n%s", b.String(), want)
	}
	if !HelpRequested([]string{"a", "--help"}) || HelpRequested([]string{"--", "--help"}) {
		t.Error("HelpRequested")
	}
}

func TestProgressSilentWithoutWriter(t *testing.T) {
	p := NewProgress(nil, "x", "records")
	p.Start()
	p.Update(1, 2)
	p.Done() // must not panic or print
	var b bytes.Buffer
	q := NewProgress(&b, "scoring", "")
	q.Start()
	q.Done()
	if !strings.HasPrefix(b.String(), "scoring: working…\rscoring: done in ") {
		t.Errorf("progress %q", b.String())
	}
}
