package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"

	"glusleep/internal/errkind"
)

// ErrUsage is the kind (internal/errkind) of an error in the command line
// (a flag, an argument): the commands exit with status 2 and print their
// usage line. The kind is not part of the error's text.
var ErrUsage = errors.New("usage")

// Usage returns err marked as a command-line error (ErrUsage, its text
// unchanged); nil stays nil.
func Usage(err error) error {
	if err == nil || errors.Is(err, ErrUsage) {
		return err
	}
	return errkind.Wrap(ErrUsage, err)
}

// Usagef returns a command-line error (ErrUsage) with the formatted text
// (fmt.Errorf: %w wraps).
func Usagef(format string, a ...any) error {
	return errkind.Errorf(ErrUsage, format, a...)
}

// UsageIf returns err marked as a command-line error (Usage) when it is
// of one of kinds (errors.Is), else err unchanged: a library's error
// about its request (stats.ErrRequest) is then reported as the user's.
func UsageIf(err error, kinds ...error) error {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return Usage(err)
		}
	}
	return err
}

// Parse parses flags that may appear before, between or after positional
// arguments (as `glusleep psg export FILE --channel C` needs) and returns
// the positional arguments in order. A lone "--" ends flag parsing. -h and
// --help call fs.Usage and return flag.ErrHelp; a wrong flag, or a value
// outside its range (SetRange), is an ErrUsage error.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	if HelpRequested(args) {
		fs.Usage()
		return nil, flag.ErrHelp
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, Usage(err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, checkRanges(fs)
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), checkRanges(fs)
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// ParseN is Parse for a command that takes exactly n positional
// arguments; otherwise it returns the usage error want ("need IN and
// OUT").
func ParseN(fs *flag.FlagSet, args []string, n int, want string) ([]string, error) {
	pos, err := Parse(fs, args)
	if err == nil && len(pos) != n {
		err = Usagef("%s", want)
	}
	return pos, err
}

// Given reports whether the flag name was set on the command line.
func Given(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// NCPUs defines --n-cpus (aliases --n_cpus, the BIDS-Apps spelling, and
// --jobs), the one name for parallelism: what says what runs at once;
// 0 uses every CPU.
func NCPUs(fs *flag.FlagSet, what string) *int {
	n := fs.Int("n-cpus", 0, what+"; 0: every CPU")
	Alias(fs, "n_cpus", "n-cpus")
	Alias(fs, "jobs", "n-cpus")
	return n
}

// Quiet defines --quiet: no progress on stderr (progress is shown only
// when stderr is a terminal).
func Quiet(fs *flag.FlagSet) *bool {
	return fs.Bool("quiet", false, "no progress on stderr (shown only when stderr is a terminal)")
}

// Strings is a repeatable string flag: each use appends its value.
type Strings []string

// String returns the values joined by commas.
func (s *Strings) String() string { return strings.Join(*s, ",") }

// Set appends v.
func (s *Strings) Set(v string) error { *s = append(*s, v); return nil }

// List is a flag holding a comma-separated list ("a,b,c"); empty is none.
type List []string

// String returns the values joined by commas.
func (l *List) String() string { return strings.Join(*l, ",") }

// Set splits v at commas (spaces around the items removed).
func (l *List) Set(v string) error {
	*l = nil
	if v == "" {
		return nil
	}
	for _, s := range strings.Split(v, ",") {
		*l = append(*l, strings.TrimSpace(s))
	}
	return nil
}

// ListVar defines a comma-separated list flag name.
func ListVar(fs *flag.FlagSet, name, help string) *List {
	l := &List{}
	fs.Var(l, name, help)
	return l
}

// Optional is a switch that may carry a value: --name alone sets On,
// --name=VALUE sets On and Value, --name=false clears both.
type Optional struct {
	On    bool
	Value string
}

// String returns the value.
func (o *Optional) String() string { return o.Value }

// IsBoolFlag lets the flag stand alone.
func (o *Optional) IsBoolFlag() bool { return true }

// Set turns the switch on with value s ("true" when given alone), or off
// for "false".
func (o *Optional) Set(s string) error {
	if strings.EqualFold(s, "false") {
		o.On, o.Value = false, ""
		return nil
	}
	o.On, o.Value = true, s
	return nil
}

// Range is the plausible range of a numeric flag, in Unit, the unit users
// type it in.
type Range struct {
	Unit   string
	Lo, Hi float64
	// ZeroIsValue makes 0 a value to check; by default 0 means "not given".
	ZeroIsValue bool
	// LoOpen refuses Lo itself: the range is Lo < v ≤ Hi.
	LoOpen bool
}

// Check refuses v (the value of flag name) outside r with an ErrUsage
// error naming the flag, the value, the unit and the range; a time typed
// in s where ms are wanted is named as such.
func (r Range) Check(name string, v float64, text string) error {
	if (v == 0 && !r.ZeroIsValue) || (!math.IsNaN(v) && v >= r.Lo && v <= r.Hi && !(r.LoOpen && v == r.Lo)) {
		return nil
	}
	above := ""
	if r.LoOpen {
		above = fmt.Sprintf(" (above %g)", r.Lo)
	}
	err := Usagef("--%s %s %s is outside the plausible range %g–%g %s%s", name, text, r.Unit, r.Lo, r.Hi, r.Unit, above)
	if r.Unit == "ms" && v > 0 && v*1000 >= r.Lo && v*1000 <= r.Hi {
		err = fmt.Errorf("%w (times are typed in ms: did you mean --%s %g?)", err, name, v*1000)
	}
	return err
}

// ranged is a flag value with the plausible range of its numbers.
type ranged struct {
	flag.Value
	r Range
}

// Get returns the wrapped value's (ints and floats are checked).
func (v *ranged) Get() any {
	if g, ok := v.Value.(flag.Getter); ok {
		return g.Get()
	}
	return nil
}

// SetRange gives the int or float flag name of fs the plausible range r,
// which Parse checks when the flag is given.
func SetRange(fs *flag.FlagSet, name string, r Range) {
	f := fs.Lookup(name)
	if f == nil {
		panic("cli: range of undefined flag --" + name)
	}
	f.Value = &ranged{f.Value, r}
}

// checkRanges refuses the first given flag of fs (in name order) whose
// value lies outside its range (SetRange); values are refused, never
// clamped.
func checkRanges(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		v, ok := f.Value.(*ranged)
		if !ok || err != nil {
			return
		}
		switch x := v.Get().(type) {
		case float64:
			err = v.r.Check(f.Name, x, f.Value.String())
		case int:
			err = v.r.Check(f.Name, float64(x), f.Value.String())
		}
	})
	return err
}
