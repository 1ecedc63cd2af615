package main

import (
	"errors"
	"fmt"

	"glusleep/internal/cli"
	"glusleep/stats"
)

// Commands `glusleep stats ...`: group statistics on a TSV table, each
// printing a one-line APA-style result or, with --json, the full result
// (cli.StatsCommands: the flags fill a stats.Request, which stats.Run
// runs).

func init() {
	for _, sc := range cli.StatsCommands {
		register(&command{path: "stats " + sc.Name, usage: sc.Usage, summary: sc.Summary,
			run: func(env *cmdEnv, args []string) error { return runStatsCommand(env, sc, args) }})
	}
}

// runStatsCommand parses a stats command's flags into a request, reads the
// table and prints the result.
func runStatsCommand(env *cmdEnv, sc cli.StatsCommand, args []string) error {
	fs := newFlagSet(env, "stats "+sc.Name)
	sf := sc.AddFlags(fs)
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	req, table, err := sf.Request(pos)
	if err != nil {
		return err
	}
	var t *stats.Table
	if table != "" {
		if t, err = stats.ReadTableFile(table); err != nil {
			return err
		}
	}
	rep, err := stats.Run(t, req)
	switch {
	case errors.Is(err, stats.ErrNotTwoGroups):
		return cli.Usagef("%w; choose two with --levels A,B", err)
	case err != nil:
		return cli.UsageIf(err, stats.ErrRequest)
	case !*sf.JSON:
		_, err = fmt.Fprint(env.stdout, rep.Text)
		return err
	}
	b, err := rep.JSON()
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(b)
	return err
}
