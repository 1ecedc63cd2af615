// Command glusleep runs MR spectroscopy, polysomnography, clinical scoring and
// the statistics of a glutamate–sleep study from one static binary.
//
// Subcommands are registered by the files of this package (psg.go, mrs_*.go,
// stats.go, ...) through register, so that each capability owns its own file.
// The commands parse flags, call the libraries and print; the conventions
// (dispatch, help, suggestions, aliases, progress) are internal/cli's.
package main

import (
	"flag"
	"io"
	"os"

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

// help returns what help shows of c.
func (c *command) help() cli.Command {
	return cli.Command{Path: c.path, Usage: c.usage, Summary: c.summary}
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

func main() {
	env := &cmdEnv{stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(runMain(env, os.Args[1:]))
}

// runMain runs the command args name (cli.App) and returns the process
// exit status.
func runMain(env *cmdEnv, args []string) int {
	app := &cli.App{Name: "glusleep", Version: version, Stdout: env.stdout, Stderr: env.stderr,
		Title: "glusleep: MR spectroscopy, polysomnography, clinical scoring and statistics for glutamate–sleep studies"}
	for _, c := range commands {
		h := c.help()
		h.Run = func(args []string) error { return c.run(env, args) }
		app.Commands = append(app.Commands, h)
	}
	return app.Main(args)
}

// newFlagSet returns the flag set of command path (cli.NewFlagSet): its
// --help is printed on stdout by cli.Parse.
func newFlagSet(env *cmdEnv, path string) *flag.FlagSet {
	return cli.NewFlagSet(env.stdout, "glusleep", commands[path].help())
}
