package cli

import (
	"errors"
	"flag"
	"reflect"
	"slices"
	"strings"
	"testing"

	"glusleep/stats"
)

// statsCommand returns the stats command called name.
func statsCommand(t *testing.T, name string) StatsCommand {
	t.Helper()
	for _, c := range StatsCommands {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no stats command %s", name)
	return StatsCommand{}
}

// Each stats command's flags fill its request; the table is the one
// positional argument when the request needs one; refused flags and
// arguments are usage errors.
func TestStatsRequest(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		table string
		check func(r stats.Request) bool
		err   string
	}{
		{"ttest", []string{"t.tsv", "--value", "glx", "--group", "g", "--levels", "rls,control", "--alternative", "greater", "--var-equal"}, "t.tsv", func(r stats.Request) bool {
			return r.Value == "glx" && r.Group == "g" && slices.Equal(r.Levels, []string{"rls", "control"}) && r.Alternative == stats.Greater && r.TTest.VarEqual && r.ConfLevel == 0.95
		}, ""},
		{"ttest", []string{"--summary-x", "1,0.5,10", "--summary-y", "2,0.5,12", "--conf", "0.9"}, "", func(r stats.Request) bool {
			return *r.SummaryX == stats.Summary{Mean: 1, SD: 0.5, N: 10} && r.SummaryY.N == 12 && r.ConfLevel == 0.9
		}, ""},
		{"ttest", []string{"--summary-x", "1,0.5"}, "", nil, "summary"},
		{"mwu", []string{"t.tsv", "--value", "v", "--group", "g", "--exact"}, "t.tsv", func(r stats.Request) bool { return r.MWU.Method == stats.MWUExact }, ""},
		{"mwu", []string{"t.tsv", "--exact", "--normal"}, "", nil, "--exact and --normal exclude each other"},
		{"corr", []string{"t.tsv", "--x", "a", "--y", "b", "--method", "kendall", "--covariates", "age,sex", "--boot", "100", "--seed", "7"}, "t.tsv", func(r stats.Request) bool {
			return r.Method == stats.Kendall && slices.Equal(r.Covariates, []string{"age", "sex"}) && r.Boot.R == 100 && r.Boot.Seed == 7
		}, ""},
		{"corr", []string{"t.tsv", "--method", "pearsn"}, "", nil, ""},
		{"lm", []string{"t.tsv", "--formula", "y ~ a * b", "--coding", "sum", "--ref", "a=x"}, "t.tsv", func(r stats.Request) bool {
			return r.Formula == "y ~ a * b" && r.LM.Coding == stats.Sum && reflect.DeepEqual(r.References, map[string]string{"a": "x"})
		}, ""},
		{"lm", []string{"t.tsv"}, "", nil, "need --formula"},
		{"lm", []string{"--formula", "y ~ x"}, "", nil, "need exactly one TABLE.tsv, got 0 arguments"},
		{"compare-corr", []string{"--r1", "0.5", "--n1", "20", "--r2", "0.1", "--n2", "30"}, "", func(r stats.Request) bool {
			return r.Compare == stats.CompareRequest{R1: 0.5, N1: 20, R2: 0.1, N2: 30} && r.ConfLevel == 0.95
		}, ""},
		{"compare-corr", []string{"t.tsv"}, "", nil, "compare-corr takes no file"},
		{"power", []string{"--test", "r", "--r", "0.4", "--power", "0.8"}, "", func(r stats.Request) bool {
			return r.Power.Test == "r" && r.Power.R == 0.4 && r.Power.Power == 0.8 && r.Power.SigLevel == 0.05 && r.ConfLevel == 0
		}, ""},
		{"power", []string{"--alternative", "sideways"}, "", nil, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		sc := statsCommand(t, c.name)
		sf := sc.AddFlags(fs)
		pos, err := Parse(fs, c.args)
		if err != nil {
			t.Fatalf("%s %v: %v", c.name, c.args, err)
		}
		r, table, err := sf.Request(pos)
		switch {
		case c.check == nil:
			if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %v: %v, want a usage error %q", c.name, c.args, err, c.err)
			}
		case err != nil || table != c.table || r.Analysis != c.name || !c.check(r):
			t.Errorf("%s %v: %+v, table %q, %v", c.name, c.args, r, table, err)
		}
	}
	if fs := flag.NewFlagSet("t", flag.ContinueOnError); statsCommand(t, "power").AddFlags(fs) != nil && fs.Lookup("conf") != nil {
		t.Error("power has --conf")
	}
}
