// Command glusleep runs MR spectroscopy, polysomnography, clinical scoring and
// the statistics of a glutamate–sleep study from one static binary.
//
// Subcommands are registered by the files of this package (psg.go, mrs.go,
// stats.go, ...) through register, so that each capability owns its own file.
// The commands parse flags, call the libraries and print; the conventions
// (help, suggestions, aliases, progress) are internal/cli's.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"glusleep/internal/cli"
)

// version is the glusleep version recorded in provenance.
const version = "0.1.0-dev"

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
	// terminal marks stderr as a terminal whatever it is (tests); stderr
	// is otherwise a terminal when it is a character device.
	terminal bool
}

// progress returns where long work reports progress: stderr when it is a
// terminal and the command was not --quiet, else nil (no progress).
func (env *cmdEnv) progress(quiet bool) io.Writer {
	if quiet || !(env.terminal || cli.IsTerminal(env.stderr)) {
		return nil
	}
	return env.stderr
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
var errUsage = cli.ErrUsage

func main() {
	env := &cmdEnv{stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(runMain(env, os.Args[1:]))
}

// runMain dispatches args to the longest matching command path and returns
// the process exit status.
func runMain(env *cmdEnv, args []string) int {
	switch {
	case len(args) == 0 || (len(args) == 1 && cli.HelpRequested(args)):
		printHelp(env.stdout, "")
		return 0
	case args[0] == "--version" || args[0] == "version":
		fmt.Fprintln(env.stdout, cli.Version("glusleep", version))
		return 0
	case args[0] == "help":
		return runHelp(env, args[1:])
	}
	best, n := lookup(args)
	if best == nil {
		return unknownCommand(env, args)
	}
	if err := best.run(env, args[n:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.stderr, "glusleep %s: %v\n", best.path, err)
		if errors.Is(err, errUsage) {
			fmt.Fprintf(env.stderr, "usage: glusleep %s\n(glusleep help %s lists the flags)\n", best.usage, best.path)
			return 2
		}
		return 1
	}
	return 0
}

// lookup returns the command of the longest prefix of args and the number
// of words it took.
func lookup(args []string) (*command, int) {
	for i := len(args); i > 0; i-- {
		if c, ok := commands[strings.Join(args[:i], " ")]; ok {
			return c, i
		}
	}
	return nil, 0
}

// runHelp prints `glusleep help [CMD...]`: a command's flags, the
// commands under a group word ("psg"), or everything.
func runHelp(env *cmdEnv, args []string) int {
	if len(args) == 0 {
		printHelp(env.stdout, "")
		return 0
	}
	if c, n := lookup(args); c != nil && n == len(args) {
		return runMain(env, append(append([]string{}, args...), "--help"))
	}
	prefix := strings.Join(args, " ") + " "
	for p := range commands {
		if strings.HasPrefix(p, prefix) {
			printHelp(env.stdout, prefix)
			return 0
		}
	}
	return unknownCommand(env, args)
}

// unknownCommand reports an unknown command with the commands nearest to
// it by edit distance, and returns exit status 2.
func unknownCommand(env *cmdEnv, args []string) int {
	paths := make([]string, 0, len(commands))
	for p := range commands {
		paths = append(paths, p)
	}
	fmt.Fprintf(env.stderr, "glusleep: unknown command %q\n", strings.Join(args, " "))
	if near := cli.SuggestCommand(args, paths); len(near) > 0 {
		fmt.Fprintf(env.stderr, "did you mean: glusleep %s\n", strings.Join(near, " | glusleep "))
	}
	fmt.Fprintln(env.stderr, "(glusleep help lists the commands)")
	return 2
}

// printHelp lists the commands whose path starts with prefix.
func printHelp(w io.Writer, prefix string) {
	cmds := make([]cli.Command, 0, len(commands))
	for _, c := range commands {
		cmds = append(cmds, cli.Command{Path: c.path, Usage: c.usage, Summary: c.summary})
	}
	cli.PrintCommands(w, "glusleep", "glusleep: MR spectroscopy, polysomnography, clinical scoring and statistics for glutamate–sleep studies", cmds, prefix)
}

// newFlagSet returns a flag set for command c that reports errors instead
// of exiting; its --help is printed on stdout by cli.Parse.
func newFlagSet(env *cmdEnv, c string) *flag.FlagSet {
	fs := flag.NewFlagSet("glusleep "+c, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned and printed once by runMain
	fs.Usage = func() {
		if cmd := commands[c]; cmd != nil {
			cli.PrintCommandHelp(env.stdout, "glusleep", cli.Command{Path: cmd.path, Usage: cmd.usage, Summary: cmd.summary}, fs)
		}
	}
	return fs
}
