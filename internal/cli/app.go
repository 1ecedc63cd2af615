package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// App is a program of subcommands addressed by words ("psg info"): it
// prints help (`PROGRAM help [CMD...]`, --help, -h), its version, and
// suggests the nearest commands for an unknown one.
type App struct {
	// Name is the program's name, Version its version and Title the
	// sentence under the top-level usage line.
	Name, Version, Title string
	// Commands are the subcommands (Run set).
	Commands []Command
	// Stdout receives help and results, Stderr errors.
	Stdout, Stderr io.Writer
}

// Main runs the command of the longest matching path of args and returns
// the process exit status: 0, 1 for a failed command, 2 for a usage error
// (ErrUsage, an unknown command), printed with the command's usage line.
func (a *App) Main(args []string) int {
	switch {
	case len(args) == 0 || (len(args) == 1 && HelpRequested(args)):
		a.printHelp("")
		return 0
	case args[0] == "--version" || args[0] == "version":
		fmt.Fprintln(a.Stdout, Version(a.Name, a.Version))
		return 0
	case args[0] == "help":
		return a.help(args[1:])
	}
	c, n := a.lookup(args)
	if c == nil {
		return a.unknown(args)
	}
	err := c.Run(args[n:])
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(a.Stderr, "%s %s: %v\n", a.Name, c.Path, err)
		fmt.Fprintf(a.Stderr, "usage: %s %s\n(%s help %s lists the flags)\n", a.Name, c.Usage, a.Name, c.Path)
		return 2
	}
	fmt.Fprintf(a.Stderr, "%s %s: %v\n", a.Name, c.Path, err)
	return 1
}

// lookup returns the command of the longest prefix of args and the number
// of words it took.
func (a *App) lookup(args []string) (*Command, int) {
	for i := len(args); i > 0; i-- {
		p := strings.Join(args[:i], " ")
		for k := range a.Commands {
			if a.Commands[k].Path == p {
				return &a.Commands[k], i
			}
		}
	}
	return nil, 0
}

// help prints `PROGRAM help [CMD...]`: a command's flags, the commands
// under a group word ("psg"), or everything.
func (a *App) help(args []string) int {
	if len(args) == 0 {
		a.printHelp("")
		return 0
	}
	if c, n := a.lookup(args); c != nil && n == len(args) {
		return a.Main(append(append([]string{}, args...), "--help"))
	}
	prefix := strings.Join(args, " ") + " "
	for _, c := range a.Commands {
		if strings.HasPrefix(c.Path, prefix) {
			a.printHelp(prefix)
			return 0
		}
	}
	return a.unknown(args)
}

// unknown reports an unknown command with the commands nearest to it by
// edit distance, and returns exit status 2.
func (a *App) unknown(args []string) int {
	paths := make([]string, len(a.Commands))
	for i, c := range a.Commands {
		paths[i] = c.Path
	}
	fmt.Fprintf(a.Stderr, "%s: unknown command %q\n", a.Name, strings.Join(args, " "))
	if near := SuggestCommand(args, paths); len(near) > 0 {
		fmt.Fprintf(a.Stderr, "did you mean: %s %s\n", a.Name, strings.Join(near, " | "+a.Name+" "))
	}
	fmt.Fprintf(a.Stderr, "(%s help lists the commands)\n", a.Name)
	return 2
}

// printHelp lists the commands whose path starts with prefix.
func (a *App) printHelp(prefix string) {
	PrintCommands(a.Stdout, a.Name, a.Title, append([]Command(nil), a.Commands...), prefix)
}

// NewFlagSet returns the flag set of command c of program: it reports
// errors instead of exiting (Parse returns them, Main prints them once),
// and its --help prints c's help (PrintCommandHelp) on w.
func NewFlagSet(w io.Writer, program string, c Command) *flag.FlagSet {
	fs := flag.NewFlagSet(program+" "+c.Path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { PrintCommandHelp(w, program, c, fs) }
	return fs
}
