// Command glusleep runs MR spectroscopy, polysomnography, clinical scoring and
// the statistics of a glutamate–sleep study from one static binary.
//
// Subcommands are registered by the files of this package (psg.go, mrs.go,
// stats.go, ...) through register, so that each capability owns its own file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand, addressed by its words ("psg info").
type command struct {
	// path is the words that select the command, e.g. "psg info".
	path string
	// usage is a one-line synopsis shown in help, without the program name.
	usage string
	// summary is a short sentence saying what the command does.
	summary string
	// run executes the command with the remaining arguments.
	run func(env *cmdEnv, args []string) error
}

// cmdEnv carries the process streams, so commands can be tested.
type cmdEnv struct {
	stdout io.Writer
	stderr io.Writer
}

var commands = map[string]*command{}

// register adds a subcommand; it panics on a duplicate path, which is a
// programming error caught by every test run.
func register(c *command) {
	if _, dup := commands[c.path]; dup {
		panic("glusleep: duplicate command " + c.path)
	}
	commands[c.path] = c
}

// errUsage marks an error caused by wrong arguments: exit status 2.
var errUsage = errors.New("usage")

func main() {
	env := &cmdEnv{stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(runMain(env, os.Args[1:]))
}

// runMain dispatches args to the longest matching command path and returns
// the process exit status.
func runMain(env *cmdEnv, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printHelp(env.stdout, "")
		return 0
	}
	var best *command
	n := 0
	for i := len(args); i > 0; i-- {
		if c, ok := commands[strings.Join(args[:i], " ")]; ok {
			best, n = c, i
			break
		}
	}
	if best == nil {
		printHelp(env.stderr, args[0])
		fmt.Fprintf(env.stderr, "glusleep: unknown command %q\n", strings.Join(args, " "))
		return 2
	}
	if err := best.run(env, args[n:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.stderr, "glusleep %s: %v\n", best.path, err)
		if errors.Is(err, errUsage) {
			fmt.Fprintf(env.stderr, "usage: glusleep %s\n", best.usage)
			return 2
		}
		return 1
	}
	return 0
}

func printHelp(w io.Writer, prefix string) {
	fmt.Fprintln(w, "glusleep: MR spectroscopy, polysomnography, clinical scoring and statistics for glutamate–sleep studies")
	fmt.Fprintln(w, "\ncommands:")
	paths := make([]string, 0, len(commands))
	for p := range commands {
		if prefix == "" || strings.HasPrefix(p, prefix) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		for p := range commands {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		c := commands[p]
		fmt.Fprintf(w, "  glusleep %-40s %s\n", c.usage, c.summary)
	}
}

// newFlagSet returns a flag set for a command that reports errors instead of
// exiting, and prints its defaults to the command's stderr on -h.
func newFlagSet(env *cmdEnv, c string) *flag.FlagSet {
	fs := flag.NewFlagSet("glusleep "+c, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return fs
}

// parseInterspersed parses flags that may appear before, between or after
// positional arguments (as `glusleep psg export FILE --channel C` needs) and
// returns the positional arguments in order. A lone "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
