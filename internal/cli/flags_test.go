package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	"glusleep/internal/errkind"
	"glusleep/mrs/basis"
)

// Flags may stand before, between and after positional arguments; "--"
// ends them; errors are usage errors.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		args []string
		pos  []string
		n    int
		err  bool
	}{
		{[]string{"a", "--n", "3", "b"}, []string{"a", "b"}, 3, false},
		{[]string{"--n=2", "a", "--", "--n", "5"}, []string{"a", "--n", "5"}, 2, false},
		{[]string{"a", "--m", "1"}, nil, 0, true},
		{[]string{"--n", "x"}, nil, 0, true},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(&bytes.Buffer{})
		n := fs.Int("n", 0, "count")
		pos, err := Parse(fs, c.args)
		if c.err {
			if !errors.Is(err, ErrUsage) {
				t.Errorf("%v: %v, want a usage error", c.args, err)
			}
			continue
		}
		if err != nil || !slices.Equal(pos, c.pos) || *n != c.n {
			t.Errorf("%v: %v %d %v", c.args, pos, *n, err)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	helped := false
	fs.Usage = func() { helped = true }
	if _, err := Parse(fs, []string{"x", "-h"}); !errors.Is(err, flag.ErrHelp) || !helped {
		t.Errorf("-h: %v", err)
	}
}

// Values outside a flag's range are refused naming flag, value, unit and
// range (and a time typed in s where ms are wanted); 0 is "not given"
// unless it is a value; help still names the value's type.
func TestRanges(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--te", "30", "--points", "1024"}, ""},
		{[]string{"--te", "0.03"}, "--te 0.03 ms is outside the plausible range 5–1000 ms (times are typed in ms: did you mean --te 30?)"},
		{[]string{"--te", "0"}, ""},
		{[]string{"--points", "0"}, "--points 0 points is outside the plausible range 64–65536 points"},
		{[]string{"--dwell", "NaN"}, "--dwell NaN s is outside the plausible range 1e-05–0.01 s"},
		{[]string{"--field", "30"}, "--field 30 T is outside the plausible range 0.5–14 T"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var a Acquisition
		a.AddRead(fs)
		a.AddField(fs)
		a.AddPoints(fs)
		_, err := Parse(fs, c.args)
		if c.want == "" {
			if err != nil {
				t.Errorf("%v: %v", c.args, err)
			}
		} else if !errors.Is(err, ErrUsage) || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var a Acquisition
	a.AddRead(fs)
	a.AddPRESS(fs)
	if _, err := Parse(fs, []string{"--te", "35", "--dwell", "0.0005", "--spectrometer-frequency", "123.2", "--te1", "3", "--te2", "1"}); err != nil {
		t.Fatal(err)
	}
	if o := a.ReadOptions(); o.EchoTime != 0.035 || o.Dwell != 0.0005 || o.SpectrometerFrequency != 123.2 {
		t.Errorf("read options %+v", o)
	}
	if g := a.BasisGiven(); g != (basis.Given{TE: 0.035, TE1: 0.003, TE2: 0.001, Dwell: 0.0005, MHz: 123.2}) {
		t.Errorf("basis parameters %+v, want times in s", g)
	}
	if err := a.CheckPRESS(); err == nil || !strings.Contains(err.Error(), "TE 4 ms is outside") {
		t.Errorf("TE1 + TE2 = 4 ms: %v", err)
	}
	var help bytes.Buffer
	PrintFlags(&help, fs)
	if !strings.Contains(help.String(), "--te FLOAT") {
		t.Errorf("help:\n%s", help.String())
	}
}

func TestListOptionalStrings(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	l := ListVar(fs, "cols", "columns")
	var s Strings
	fs.Var(&s, "label", "labels")
	var o Optional
	fs.Var(&o, "phantom", "a phantom")
	if _, err := Parse(fs, []string{"--cols", "a, b,c", "--label", "x", "--label", "y", "--phantom"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*l, []string{"a", "b", "c"}) || !slices.Equal(s, []string{"x", "y"}) || !o.On || o.Value != "true" || !Given(fs, "cols") || Given(fs, "nope") {
		t.Errorf("list %v, strings %v, optional %+v", *l, s, o)
	}
	if err := o.Set("21"); err != nil || !o.On || o.Value != "21" {
		t.Errorf("--phantom=21: %+v", o)
	}
	if err := o.Set("false"); err != nil || o.On {
		t.Errorf("--phantom=false: %+v", o)
	}
	var help bytes.Buffer
	PrintFlags(&help, fs)
	if !strings.Contains(help.String(), "--cols LIST") {
		t.Errorf("help:\n%s", help.String())
	}
}

// App dispatches to the longest command path, prints help and versions,
// suggests near commands, and maps errors to exit statuses.
func TestApp(t *testing.T) {
	var so, se bytes.Buffer
	var got []string
	errRequest := errors.New("lib: invalid request")
	app := &App{Name: "prog", Version: "1.0", Title: "a test program", Stdout: &so, Stderr: &se}
	for _, p := range []string{"psg info", "psg legs", "demo"} {
		c := Command{Path: p, Usage: p + " FILE", Summary: "does " + p}
		c.Run = func(args []string) error {
			fs := NewFlagSet(&so, "prog", c)
			pos, err := Parse(fs, args)
			switch {
			case err != nil:
				return err
			case len(pos) == 0:
				return Usagef("need FILE")
			case pos[0] == "bad":
				return fmt.Errorf("cannot read %s", pos[0])
			case pos[0] == "wrong":
				return UsageIf(fmt.Errorf("reading %s: %w", pos[0], errkind.Errorf(errRequest, "no such column")), errRequest)
			}
			got = append(got, p+" "+pos[0])
			return nil
		}
		app.Commands = append(app.Commands, c)
	}
	for _, c := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"psg", "info", "x.edf"}, 0, "", ""},
		{[]string{"psg", "legs"}, 2, "", "prog psg legs: need FILE\nusage: prog psg legs FILE\n"},
		{[]string{"psg", "legs", "wrong"}, 2, "", "prog psg legs: reading wrong: no such column\nusage: prog psg legs FILE\n"},
		{[]string{"psg", "info", "bad"}, 1, "", "prog psg info: cannot read bad\n"},
		{[]string{"psg", "lges"}, 2, "", "did you mean: prog psg legs"},
		{[]string{"help", "psg"}, 0, "psg legs", ""},
		{[]string{"help", "psg", "info"}, 0, "usage: prog psg info FILE", ""},
		{[]string{"demo", "--help"}, 0, "does demo", ""},
		{[]string{"version"}, 0, "prog 1.0", ""},
		{nil, 0, "a test program", ""},
	} {
		so.Reset()
		se.Reset()
		if code := app.Main(c.args); code != c.code || !strings.Contains(so.String(), c.stdout) || !strings.Contains(se.String(), c.stderr) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, so.String(), se.String())
		}
	}
	if !slices.Equal(got, []string{"psg info x.edf"}) {
		t.Errorf("ran %v", got)
	}
}

// Usage, Usagef and UsageIf mark errors with the ErrUsage kind, keeping
// their text (the kind is not in it) and what they wrap.
func TestUsageKind(t *testing.T) {
	base := errors.New("bad value")
	other := errors.New("other kind")
	for _, c := range []struct {
		err   error
		usage bool
		text  string
	}{
		{Usage(base), true, "bad value"},
		{Usagef("--x: %w", base), true, "--x: bad value"},
		{Usage(Usage(base)), true, "bad value"},
		{UsageIf(base, other), false, "bad value"},
		{UsageIf(fmt.Errorf("ctx: %w", errkind.Wrap(other, base)), other), true, "ctx: bad value"},
	} {
		if errors.Is(c.err, ErrUsage) != c.usage || c.err.Error() != c.text || !errors.Is(c.err, base) {
			t.Errorf("%v: usage %v, want %v; text %q, want %q", c.err, errors.Is(c.err, ErrUsage), c.usage, c.err.Error(), c.text)
		}
	}
	if Usage(nil) != nil || UsageIf(nil, other) != nil {
		t.Error("nil is not kept nil")
	}
}
