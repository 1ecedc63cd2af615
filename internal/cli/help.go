package cli

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
)

// Command is a subcommand: what help shows of it, and what runs it.
type Command struct {
	// Path is the words that select it ("psg info"), Usage its one-line
	// synopsis without the program name, Summary a sentence.
	Path, Usage, Summary string
	// Run executes the command with the arguments after its path (App).
	Run func(args []string) error
}

// PrintCommands writes the program's usage line and title, then the
// commands whose path starts with prefix, sorted, each with its summary,
// wrapped to Width.
func PrintCommands(w io.Writer, program, title string, cmds []Command, prefix string) {
	Fprint(w, "", "usage: "+program+" COMMAND [ARGS] [--FLAGS]  ("+program+" help COMMAND for its flags; "+program+" version)", Width, 7)
	Fprint(w, "", title, Width, 0)
	fmt.Fprintln(w, "\ncommands:")
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Path < cmds[j].Path })
	n := 0
	for _, c := range cmds {
		n = max(n, len(c.Path))
	}
	for _, c := range cmds {
		if strings.HasPrefix(c.Path, prefix) {
			Fprint(w, fmt.Sprintf("  %-*s  ", n, c.Path), c.Summary, Width, n+4)
		}
	}
}

// PrintCommandHelp writes a command's usage line first, then its summary
// and its flags (PrintFlags).
func PrintCommandHelp(w io.Writer, program string, c Command, fs *flag.FlagSet) {
	Fprint(w, "usage: "+program+" ", c.Usage, Width, 7)
	fmt.Fprintln(w)
	Fprint(w, "", c.Summary, Width, 0)
	fmt.Fprintln(w, "\nflags:")
	PrintFlags(w, fs)
}

// SuggestCommand returns the command paths nearest (Suggest) to the first
// three, two or one words of args, trying the longest first.
func SuggestCommand(args, paths []string) []string {
	for k := min(len(args), 3); k > 0; k-- {
		if near := Suggest(strings.Join(args[:k], " "), paths); len(near) > 0 {
			return near
		}
	}
	return nil
}

// Version returns "PROGRAM VERSION (REVISION) GO OS/ARCH", the revision
// from the build's version control stamp when there is one.
func Version(program, version string) string {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " (" + s.Value[:12] + ")"
			}
		}
	}
	return fmt.Sprintf("%s %s%s %s %s/%s", program, version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
