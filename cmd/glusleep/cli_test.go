package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// runTerm runs glusleep with stderr taken for a terminal.
func runTerm(args ...string) (string, string, int) {
	var so, se bytes.Buffer
	code := runMain(&cmdEnv{stdout: &so, stderr: &se, terminal: true}, args)
	return so.String(), se.String(), code
}

var flagLine = regexp.MustCompile(`^  --([a-z0-9_-]+)( [A-Z]+)?`)

// helpFlags returns the flags a command's --help lists (aliases are on
// their target's line) and their help texts.
func helpFlags(t *testing.T, path string) map[string]string {
	t.Helper()
	so, se, code := run(t, append(strings.Fields(path), "--help")...)
	if code != 0 || se != "" {
		t.Fatalf("%s --help: exit %d, stderr %q", path, code, se)
	}
	lines := strings.Split(so, "\n")
	if want := "usage: glusleep " + path; !strings.HasPrefix(lines[0], want) {
		t.Errorf("%s --help: first line %q, want the usage line %q…", path, lines[0], want)
	}
	flags := map[string]string{}
	cur := ""
	for _, l := range lines {
		if m := flagLine.FindStringSubmatch(l); m != nil {
			cur = m[1]
			flags[cur] = strings.TrimSpace(m[2])
		} else if cur != "" && strings.HasPrefix(l, "      ") {
			flags[cur] += " " + strings.TrimSpace(l)
		}
		if utf8.RuneCountInString(l) > 100 {
			t.Errorf("%s --help: line longer than 100 columns: %q", path, l)
		}
	}
	return flags
}

// Issue 15: every command's --help and `help CMD` exit 0 and print the
// usage line first, then the flags with "--"; every flag is in the usage
// line; every number a flag takes states its unit (or that it is a count
// or a fraction).
func TestHelpConventions(t *testing.T) {
	unit := regexp.MustCompile(`\b(ms|s|Hz|MHz|ppm|T|MB|µV|days?|points|fraction|dimensionless|unit|seconds?|HH:MM:SS|0-based|count|seed|CPUs?|at once)\b|%|per `)
	for path, c := range commands {
		flags := helpFlags(t, path)
		for name, text := range flags {
			if !strings.Contains(c.usage, "--"+name) {
				t.Errorf("%s: --%s is not in the usage line %q", path, name, c.usage)
			}
			if (strings.HasPrefix(text, "FLOAT") || strings.HasPrefix(text, "INT")) && !unit.MatchString(text) {
				t.Errorf("%s --%s: no unit in %q", path, name, text)
			}
		}
		so, _, code := run(t, append([]string{"help"}, strings.Fields(path)...)...)
		if code != 0 || !strings.HasPrefix(so, "usage: glusleep "+path) {
			t.Errorf("help %s: exit %d, %q", path, code, so)
		}
	}
}

// The top-level help is wrapped to 100 columns and lists every command;
// `help psg` lists the psg commands.
func TestTopLevelHelp(t *testing.T) {
	for _, args := range [][]string{nil, {"--help"}, {"help"}, {"-h"}} {
		so, _, code := run(t, args...)
		if code != 0 || !strings.HasPrefix(so, "usage: glusleep") {
			t.Fatalf("%v: exit %d %q", args, code, so)
		}
		for _, l := range strings.Split(so, "\n") {
			if utf8.RuneCountInString(l) > 100 {
				t.Errorf("%v: line of %d columns: %q", args, utf8.RuneCountInString(l), l)
			}
		}
		for p := range commands {
			if !strings.Contains(so, "  "+p+" ") {
				t.Errorf("%v: %s not listed", args, p)
			}
		}
	}
	so, _, code := run(t, "help", "psg")
	if code != 0 || !strings.Contains(so, "psg legs") || strings.Contains(so, "mrs fit") {
		t.Errorf("help psg: exit %d %q", code, so)
	}
}

func TestVersion(t *testing.T) {
	for _, a := range []string{"version", "--version"} {
		so, _, code := run(t, a)
		if code != 0 || !strings.HasPrefix(so, "glusleep "+version) {
			t.Errorf("%s: exit %d %q", a, code, so)
		}
	}
}

// A mistyped command gets the nearest commands by edit distance, exit 2.
func TestDidYouMean(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"psg", "slep", "x.edf"}, "did you mean: glusleep psg sleep"},
		{[]string{"mrs", "fti"}, "did you mean: glusleep mrs fit"},
		{[]string{"dmeo"}, "did you mean: glusleep demo"},
		{[]string{"help", "stats", "ttset"}, "did you mean: glusleep stats ttest"},
	}
	for _, c := range cases {
		_, se, code := run(t, c.args...)
		if code != 2 || !strings.Contains(se, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, se, c.want)
		}
	}
	if _, se, _ := run(t, "zzzzzzzz"); strings.Contains(se, "did you mean") {
		t.Errorf("a word near no command got a suggestion: %q", se)
	}
}

// tinyDataset writes a BIDS folder of two participants without data.
func tinyDataset(t *testing.T) string {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "participants.tsv"), []byte("participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"sub-01", "sub-02"} {
		if err := os.MkdirAll(filepath.Join(root, s, "eeg"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A bad analysis level is named; the BIDS-Apps spellings
// (--participant_label with several labels, --n_cpus) are read; progress
// shows on a terminal only, and not with --quiet.
func TestRunConventions(t *testing.T) {
	root := tinyDataset(t)
	_, se, code := run(t, "run", root, t.TempDir(), "participants")
	if code != 2 || !strings.Contains(se, `"participants"`) || !strings.Contains(se, "participant or group") {
		t.Errorf("level participants: exit %d %q", code, se)
	}
	out := t.TempDir()
	so, se, code := runTerm("run", root, out, "participant", "--participant_label", "01", "02", "--n_cpus", "1")
	if code != 0 || !strings.Contains(so, "2 done") || !strings.Contains(se, "2/2 participants") {
		t.Errorf("BIDS-Apps spellings: exit %d %q %q", code, so, se)
	}
	out = t.TempDir()
	for _, args := range [][]string{{"--quiet"}, {"--jobs", "2"}} {
		var so, se bytes.Buffer
		env := &cmdEnv{stdout: &so, stderr: &se, terminal: args[0] != "--quiet"}
		if args[0] == "--jobs" {
			env.terminal = false
		}
		if code := runMain(env, append([]string{"run", root, out, "participant", "--participant-label", "sub-01"}, args...)); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, se.String())
		}
		if se.Len() != 0 {
			t.Errorf("%v: stderr %q, want no progress", args, se.String())
		}
	}
}

// One name for parallelism and for keeping identifying fields across the
// commands (old names kept as aliases).
func TestFlagNames(t *testing.T) {
	for _, path := range []string{"run", "mrs fit", "demo"} {
		f := helpFlags(t, path)
		if _, ok := f["n-cpus"]; !ok {
			t.Errorf("%s: no --n-cpus", path)
		}
		so, _, _ := run(t, strings.Fields(path+" --help")...)
		for _, alias := range []string{"--jobs", "--n_cpus"} {
			if !strings.Contains(so, alias) {
				t.Errorf("%s: alias %s not listed", path, alias)
			}
		}
	}
	for _, path := range []string{"mrs info", "mrs convert", "mrs preproc", "psg info"} {
		if _, ok := helpFlags(t, path)["keep-phi"]; !ok {
			t.Errorf("%s: no --keep-phi", path)
		}
	}
	var names []string
	for p := range commands {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		if _, ok := helpFlags(t, p)["jobs"]; ok {
			t.Errorf("%s: --jobs is a flag of its own, not an alias of --n-cpus", p)
		}
	}
}
