// Package cli holds the command-line conventions of glusleep's commands:
// help text with GNU-style "--flag" names wrapped to a width, "did you
// mean" suggestions by edit distance, flag aliases, and whether a stream
// is a terminal (progress is shown only there).
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// Width is the column width of help text.
const Width = 100

// Wrap breaks text into lines of at most width runes (a single longer word
// stays whole on its line): the first line starts with prefix, the others
// with indent spaces. Whitespace runs in text collapse to single spaces.
func Wrap(prefix, text string, width, indent int) []string {
	var lines []string
	var cur strings.Builder
	cur.WriteString(prefix)
	pad := utf8.RuneCountInString(prefix)
	n := pad
	for _, w := range strings.Fields(text) {
		l := utf8.RuneCountInString(w)
		if n > pad && n+1+l > width {
			lines = append(lines, cur.String())
			cur.Reset()
			cur.WriteString(strings.Repeat(" ", indent))
			n, pad = indent, indent
		}
		if n > pad {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += l
	}
	return append(lines, strings.TrimRight(cur.String(), " "))
}

// Fprint writes text wrapped by Wrap to w, one line each.
func Fprint(w io.Writer, prefix, text string, width, indent int) {
	for _, l := range Wrap(prefix, text, width, indent) {
		fmt.Fprintln(w, l)
	}
}

// Distance returns the Levenshtein edit distance between a and b, in runes
// (insertions, deletions and substitutions cost 1).
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Suggest returns the candidates nearest to word by Distance, when that
// distance is at most max(2, len(word)/3) — close enough to be a typing
// slip — in sorted order; nil when none is that close.
func Suggest(word string, candidates []string) []string {
	limit := max(2, utf8.RuneCountInString(word)/3)
	best := limit + 1
	var out []string
	for _, c := range candidates {
		switch d := Distance(word, c); {
		case d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// HelpRequested reports whether args ask for help (-h, -help or --help
// before a lone "--").
func HelpRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// aliasPrefix starts the usage text of a flag that is another's alias.
const aliasPrefix = "alias of --"

// Alias makes name a second spelling of the flag target already defined in
// fs; its help says so, and PrintFlags lists it with its target.
func Alias(fs *flag.FlagSet, name, target string) {
	f := fs.Lookup(target)
	if f == nil {
		panic("cli: alias of undefined flag --" + target)
	}
	fs.Var(f.Value, name, aliasPrefix+target)
}

// IsAlias reports whether f was defined by Alias.
func IsAlias(f *flag.Flag) bool { return strings.HasPrefix(f.Usage, aliasPrefix) }

// PrintFlags writes fs's flags in sorted order, each as "--name VALUE"
// followed by its help (with its default when not the zero value and its
// aliases) indented and wrapped to Width.
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	aliases := map[string][]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if IsAlias(f) {
			t := strings.TrimPrefix(f.Usage, aliasPrefix)
			aliases[t] = append(aliases[t], "--"+f.Name)
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if IsAlias(f) {
			return
		}
		if r, ok := f.Value.(*ranged); ok {
			inner := *f
			inner.Value = r.Value
			f = &inner // help names the value's type, not the range's
		}
		name, usage := flag.UnquoteUsage(f)
		if _, ok := f.Value.(*List); ok && name == "value" {
			name = "list"
		}
		head := "  --" + f.Name
		if name != "" {
			head += " " + strings.ToUpper(name)
		}
		if a := aliases[f.Name]; len(a) > 0 {
			head += " (also " + strings.Join(a, ", ") + ")"
		}
		fmt.Fprintln(w, head)
		if !isZeroDefault(f) {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		Fprint(w, "      ", usage, Width, 6)
	})
}

// isZeroDefault reports whether f's default is its type's zero value.
func isZeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return true
	}
	t := reflect.TypeOf(f.Value)
	if t.Kind() == reflect.Pointer {
		z := reflect.New(t.Elem())
		if v, ok := z.Interface().(flag.Value); ok {
			return f.DefValue == v.String()
		}
	}
	return false
}

// IsTerminal reports whether w is a terminal (a character device), where
// progress is shown; pipes, files and buffers are not.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
