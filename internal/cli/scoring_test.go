package cli

import (
	"errors"
	"flag"
	"strings"
	"testing"

	"glusleep/psg/annot"
)

// The scoring flags give annot.Options; a bad stage map is a usage error
// naming the flag.
func TestScoringFlags(t *testing.T) {
	for _, c := range []struct {
		args  []string
		codes map[string]annot.Stage
		trunc bool
		err   string
	}{
		{nil, nil, false, ""},
		{[]string{"--stage-map", "11=W,12=N1,15=R", "--allow-truncated"}, map[string]annot.Stage{"11": annot.Wake, "12": annot.N1, "15": annot.REM}, true, ""},
		{[]string{"--stage-map", "11"}, nil, false, "--stage-map: "},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		sf := AddScoring(fs)
		if _, err := Parse(fs, c.args); err != nil {
			t.Fatal(err)
		}
		opt, err := sf.Options()
		if c.err != "" {
			if !errors.Is(err, ErrUsage) || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%v: %v, want a usage error %q…", c.args, err, c.err)
			}
			continue
		}
		if err != nil || opt.AllowTruncated != c.trunc || len(opt.StageMap) != len(c.codes) {
			t.Errorf("%v: %+v, %v", c.args, opt, err)
		}
		for k, v := range c.codes {
			if opt.StageMap[k] != v {
				t.Errorf("%v: code %s → %v, want %v", c.args, k, opt.StageMap[k], v)
			}
		}
	}
}
