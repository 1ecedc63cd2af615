package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const cohort = "../../stats/testdata/cohort.tsv"

func runStats(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(&cmdEnv{stdout: &out, stderr: &errb}, args)
	return out.String(), errb.String(), code
}

func TestStatsCommands(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		// values as R 4.2.2 prints them for the same data (see stats/testdata)
		{[]string{"stats", "ttest", "--summary-x", "1.20,0.73,28", "--summary-y", "0.80,0.39,20", "--var-equal", "--alternative", "greater"}, "t(46) = 2.23, p = .015 (one-tailed, greater)"},
		{[]string{"stats", "ttest", cohort, "--value", "glx", "--group", "group", "--levels", "rls,control", "--var-equal"}, "glx, rls (M = "},
		{[]string{"stats", "mwu", cohort, "--value", "wake", "--group", "group", "--conf-int"}, "Wilcoxon rank sum test with continuity correction, U = 118.5"},
		{[]string{"stats", "corr", cohort, "--x", "glx", "--y", "wake", "--by", "group"}, "[group = rls]: r(43) = .79"},
		{[]string{"stats", "corr", cohort, "--x", "glx", "--y", "wake", "--covariates", "age", "--method", "spearman"}, "glx, wake | age: rs("},
		{[]string{"stats", "lm", cohort, "--formula", "wake ~ glx * group + age + sex"}, "glx:grouprls"},
		{[]string{"stats", "lm", cohort, "--formula", "wake ~ glx * group", "--ref", "group=rls"}, "glx:groupcontrol"},
		{[]string{"stats", "compare-corr", "--r1", "0.61", "--n1", "28", "--r2", "0.10", "--n2", "20"}, "z = 1.94"},
		{[]string{"stats", "power", "--test", "t", "--power", "0.8", "--delta", "0.5"}, "n = 63.77 (use 64)"},
	}
	for _, c := range cases {
		out, errs, code := runStats(t, c.args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", c.args, code, out, errs, c.want)
		}
	}
}

func TestStatsJSON(t *testing.T) {
	out, errs, code := runStats(t, "stats", "ttest", cohort, "--value", "glx", "--group", "group", "--alternative", "less", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		APA    string
		Result struct {
			Test struct {
				T  float64
				P  float64
				CI struct{ Lower, Upper *float64 }
			}
			EffectSize struct{ D float64 } `json:"effect_size"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r := doc.Result.Test
	if r.CI.Lower != nil || r.CI.Upper == nil || doc.APA == "" || r.P <= 0 || doc.Result.EffectSize.D == 0 {
		t.Errorf("one-sided interval should have a null lower end: %s", out)
	}
	out, _, code = runStats(t, "stats", "lm", cohort, "--formula", "wake ~ glx + site", "--coding", "sum", "--json")
	if code != 0 || !strings.Contains(out, `"site1"`) || !strings.Contains(out, `"anova_type3"`) {
		t.Errorf("lm --json: exit %d\n%s", code, out)
	}
}

func TestStatsErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"stats", "ttest", cohort, "--value", "wake", "--group", "site"}, 2, "has 3 groups"},
		{[]string{"stats", "ttest", cohort, "--value", "sex", "--group", "group"}, 1, `cohort.tsv:2:44: column "sex"`},
		{[]string{"stats", "ttest", "nosuch.tsv", "--value", "x", "--group", "g"}, 1, "nosuch.tsv"},
		{[]string{"stats", "ttest", cohort, "--value", "wake", "--group", "group", "--alternative", "bigger"}, 2, "alternative"},
		{[]string{"stats", "lm", cohort}, 2, "--formula"},
		{[]string{"stats", "lm", cohort, "--formula", "wake ~ glx + nosuch"}, 1, `no column "nosuch"`},
		{[]string{"stats", "power", "--test", "t", "--n", "20", "--power", "0.8"}, 2, "exactly one"},
		{[]string{"stats", "lm", cohort, "--formula", "wake ~ group", "--ref", "group=nope"}, 2, `no level "nope"`},
		{[]string{"stats", "compare-corr", "--r1", "1.5", "--n1", "20", "--r2", "0.1", "--n2", "20"}, 1, "not in (-1, 1)"},
	}
	for _, c := range cases {
		_, errs, code := runStats(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", c.args, code, c.code, errs, c.want)
		}
	}
}
