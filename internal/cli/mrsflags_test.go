package cli

import (
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"glusleep/mrs/preproc"
	"glusleep/study"
)

// run's MRS flags become study settings; each refused value is a usage
// error naming its flag, before any data are read.
func TestStudySettings(t *testing.T) {
	results := t.TempDir()
	for _, c := range []struct {
		args    []string
		results string
		check   func(study.Settings) bool
		err     string
	}{
		{nil, "", func(s study.Settings) bool {
			d := study.DefaultSettings()
			return s.Basis == "" && s.Preprocess == "" && s.MaxShiftPPM == 0 && s.Phantom == nil && s.TissueFractions == nil && s.FitRangePPM == d.FitRangePPM && s.Lipids && s.MixingTimeMS == 0 && s.Phase1 == study.Phase1Fitted
		}, ""},
		{[]string{"--tm", "20"}, "", func(s study.Settings) bool { return s.MixingTimeMS == 20 }, ""},
		{[]string{"--no-phase1"}, "", func(s study.Settings) bool { return s.Phase1 == study.Phase1Held && !s.CommonLineshape }, ""},
		{[]string{"--basis", "b.BASIS", "--preprocess", "never", "--max-shift-ppm", "0.05", "--common-lineshape"}, "", func(s study.Settings) bool {
			return s.Basis == "b.BASIS" && s.Preprocess == "never" && s.MaxShiftPPM == 0.05 && s.CommonLineshape
		}, ""},
		{[]string{"--preprocess", "auto"}, "", func(s study.Settings) bool { return s.Preprocess == "" }, ""},
		{[]string{"--phantom=37", "--phantom-singlet", "1.904:acetate"}, "", func(s study.Settings) bool {
			return s.Phantom != nil && s.Phantom.TemperatureC == 37 && slices.Equal(s.Phantom.Singlets, []string{"1.904:acetate"})
		}, ""},
		{[]string{"--tissue-fractions", "0.5,0.3,0.2", "--segmentation-type", "fast"}, "", func(s study.Settings) bool {
			return s.TissueFractions != nil && *s.TissueFractions == [3]float64{0.5, 0.3, 0.2} && s.SegmentationType == "fast"
		}, ""},
		{nil, results, func(s study.Settings) bool { return s.MRSResults == results && len(s.MRSResultsSHA256) == 64 }, ""},
		{[]string{"--preprocess", "sometimes"}, "", nil, "--preprocess"},
		{[]string{"--segmentation", "x", "--tissue-fractions", "0.5,0.5,0"}, "", nil, "give --segmentation or --tissue-fractions, not both"},
		{[]string{"--tissue-fractions", "0.5,0.6,0"}, "", nil, "--tissue-fractions"},
		{[]string{"--segmentation-type", "mystery"}, "", nil, "--segmentation-type"},
		{[]string{"--phantom=hot"}, "", nil, "--phantom"},
		{nil, filepath.Join(results, "none"), nil, "--mrs-results " + filepath.Join(results, "none") + ": want a folder"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		ff, tf := AddFit(fs), AddTissue(fs, true)
		if _, err := Parse(fs, c.args); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		s, err := ff.StudySettings(tf, c.results)
		switch {
		case c.err != "":
			if !errors.Is(err, ErrUsage) || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%v %q: %v, want a usage error %q…", c.args, c.results, err, c.err)
			}
		case err != nil || !c.check(s):
			t.Errorf("%v %q: %+v, %v", c.args, c.results, s, err)
		}
	}
}

// mrs fit's tissue flags give a tissue source: fixed fractions, the
// defaults, or a refusal naming the flags.
func TestTissueSource(t *testing.T) {
	for _, c := range []struct {
		args  []string
		fixed bool
		err   string
	}{
		{nil, false, ""},
		{[]string{"--tissue-fractions", "0.7,0.3,0"}, true, ""},
		{[]string{"--segmentation-lookup", "l.tsv"}, false, "--segmentation-type and --segmentation-lookup need --segmentation"},
		{[]string{"--segmentation", "s", "--tissue-fractions", "1,0,0"}, false, "give --segmentation or --tissue-fractions"},
		{[]string{"--segmentation", "s", "--segmentation-type", "nope"}, false, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		tf := AddTissue(fs, false)
		if _, err := Parse(fs, c.args); err != nil {
			t.Fatal(err)
		}
		ts, err := tf.Source()
		switch {
		case len(c.args) == 4 && c.args[3] == "nope":
			if !errors.Is(err, ErrUsage) {
				t.Errorf("%v: %v, want a usage error", c.args, err)
			}
		case c.err != "":
			if !errors.Is(err, ErrUsage) || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%v: %v, want %q", c.args, err, c.err)
			}
		case err != nil || ts.Fixed != c.fixed:
			t.Errorf("%v: %+v, %v", c.args, ts, err)
		}
	}
}

// --max-shift-ppm is 0 (the spectrum's default) unless given; --preprocess
// parses to its mode.
func TestFitFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	ff := AddFit(fs)
	if _, err := Parse(fs, nil); err != nil || ff.MaxShiftPPM() != 0 {
		t.Errorf("default max shift %g, %v", ff.MaxShiftPPM(), err)
	}
	if _, err := Parse(fs, []string{"--max-shift-ppm", "0.1", "--preprocess", "always"}); err != nil || ff.MaxShiftPPM() != 0.1 {
		t.Errorf("given max shift %g, %v", ff.MaxShiftPPM(), err)
	}
	if m, err := ff.Mode(); err != nil || m != preproc.ModeAlways {
		t.Errorf("mode %q, %v", m, err)
	}
	if p, err := ff.Phantom(); p != nil || err != nil {
		t.Errorf("no phantom flag: %+v, %v", p, err)
	}
}

// --max-shift-ppm is above 0 and at most 1 ppm; --ppm-low and --ppm-high
// lie within −1…10 ppm, low below high: anything else is a usage error
// naming the flag and the unit.
func TestFitRangeFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // "" accepted; else a text of the usage error
	}{
		{nil, ""},
		{[]string{"--max-shift-ppm", "1"}, ""},
		{[]string{"--ppm-low", "0", "--ppm-high", "4.2"}, ""},
		{[]string{"--ppm-low", "-1", "--ppm-high", "10"}, ""},
		{[]string{"--max-shift-ppm", "0"}, "--max-shift-ppm 0 ppm"},
		{[]string{"--max-shift-ppm", "-0.1"}, "--max-shift-ppm -0.1 ppm"},
		{[]string{"--max-shift-ppm", "NaN"}, "--max-shift-ppm NaN ppm"},
		{[]string{"--max-shift-ppm", "5"}, "--max-shift-ppm 5 ppm"},
		{[]string{"--ppm-low", "-3"}, "--ppm-low -3 ppm"},
		{[]string{"--ppm-high", "40"}, "--ppm-high 40 ppm"},
		{[]string{"--ppm-high", "NaN"}, "--ppm-high NaN ppm"},
		{[]string{"--ppm-low", "4", "--ppm-high", "0.2"}, "--ppm-low 4 ppm must be below --ppm-high 0.2 ppm"},
		{[]string{"--ppm-low", "2", "--ppm-high", "2"}, "must be below"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		AddFit(fs)
		fr := AddFitRange(fs, 0.2, 4)
		_, err := Parse(fs, c.args)
		if err == nil {
			_, _, err = fr.Range()
		}
		if c.want == "" {
			if err != nil {
				t.Errorf("%v: %v", c.args, err)
			}
			continue
		}
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
}

// --tm is in ms with AcquisitionRanges' plausible range, as mrs basis
// takes it: 0.012 (s typed where ms belong) and 5000 are refused, naming
// the flag, the unit and the range.
func TestMixingTimeFlag(t *testing.T) {
	for _, c := range []struct {
		arg string
		ms  float64
		err string
	}{
		{"12", 12, ""},
		{"1000", 1000, ""},
		{"0.012", 0, "--tm 0.012 ms is outside the plausible range 1–1000 ms"},
		{"5000", 0, "--tm 5000 ms is outside the plausible range 1–1000 ms"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		ff := AddFit(fs)
		_, err := Parse(fs, []string{"--tm", c.arg})
		if c.err != "" {
			if !errors.Is(err, ErrUsage) || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("--tm %s: %v, want a usage error %q…", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || ff.TM != c.ms || ff.MixingTime() != c.ms/1000 {
			t.Errorf("--tm %s: %v, TM %g ms (%g s)", c.arg, err, ff.TM, ff.MixingTime())
		}
	}
}
