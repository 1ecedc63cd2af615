package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"glusleep/clinical"
	"glusleep/internal/cli"
)

func init() {
	register(&command{path: "clinical score", usage: "clinical score PHENOTYPE... --out DIR [--columns MAP.json] [--redcap-dictionary FILE [--redcap-labels] [--redcap-event NAME]]",
		summary: "score RLS criteria, IRLS, JHRLSS, RLS-6, PSQI, ESS and augmentation from BIDS phenotype files or REDCap exports", run: runClinicalScore})
	register(&command{path: "clinical screen", usage: "clinical screen --protocol FILE PARTICIPANTS.tsv [--phenotype DIR] [--columns MAP.json] [--derivatives DIR] --out DIR",
		summary: "apply a study protocol's inclusion and exclusion rules to every participant", run: runClinicalScreen})
}

// clinicalReportIssues prints how many input issues there were and the
// first ten.
func clinicalReportIssues(env *cmdEnv, issues []clinical.Issue, path string) {
	if len(issues) == 0 {
		return
	}
	fmt.Fprintf(env.stderr, "%d input issues (%d errors), all in %s; first ones:\n", len(issues), clinical.CountErrors(issues), path)
	for _, i := range issues[:min(len(issues), 10)] {
		fmt.Fprintf(env.stderr, "  %s\n", i)
	}
}

func runClinicalScore(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "clinical score")
	out := fs.String("out", "", "output folder")
	var opt clinical.PhenotypeOptions
	fs.StringVar(&opt.REDCapDictionary, "redcap-dictionary", "", "REDCap data dictionary CSV for .csv exports")
	fs.BoolVar(&opt.REDCapLabels, "redcap-labels", false, "the REDCap exports hold labels, not raw codes")
	fs.StringVar(&opt.REDCapEvent, "redcap-event", "", "keep only this redcap_event_name")
	colPath := fs.String("columns", "", "JSON object renaming the forms' variables to glusleep's columns")
	pos, err := cli.Parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) == 0:
		return cli.Usagef("need at least one PHENOTYPE folder or file")
	case *out == "":
		return cli.Usagef("need --out DIR")
	}
	if opt.Columns, err = clinical.ReadColumnMap(*colPath); err != nil {
		return err
	}
	d, err := clinical.ReadPhenotype(pos, opt)
	if errors.Is(err, clinical.ErrNoDictionary) {
		return cli.Usagef("%w: give it with --redcap-dictionary", err)
	} else if err != nil {
		return err
	}
	res := clinical.ScoreDataset(d)
	all, err := clinical.WriteResults(*out, res)
	if err != nil {
		return err
	}
	for _, t := range res.Tables {
		fmt.Fprintf(env.stdout, "%-14s %3d participants  %s\n", t.Instrument.Name, len(t.Rows), filepath.Join(*out, t.Instrument.Name+".tsv"))
	}
	fmt.Fprintf(env.stdout, "all scores: %s\n", all)
	clinicalReportIssues(env, res.Issues, filepath.Join(*out, "issues.tsv"))
	return nil
}

func runClinicalScreen(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "clinical screen")
	out := fs.String("out", "", "output folder")
	protoPath := fs.String("protocol", "", "study protocol (JSON)")
	pheno := fs.String("phenotype", "", "phenotype folder (default: phenotype/ beside PARTICIPANTS.tsv, if present)")
	deriv := fs.String("derivatives", "", "derivatives folder for the protocol's derivative fields")
	colPath := fs.String("columns", "", "JSON object renaming the phenotype variables to glusleep's columns")
	pos, err := cli.Parse(fs, args)
	switch {
	case err != nil:
		return err
	case len(pos) != 1:
		return cli.Usagef("need exactly one PARTICIPANTS.tsv")
	case *protoPath == "" || *out == "":
		return cli.Usagef("need --protocol FILE and --out DIR")
	}
	cols, err := clinical.ReadColumnMap(*colPath)
	if err != nil {
		return err
	}
	sc, res, err := clinical.ScreenFiles(*protoPath, pos[0], *pheno, *deriv, cols)
	if err != nil {
		return err
	}
	if res != nil {
		if _, err := clinical.WriteResults(*out, res); err != nil {
			return err
		}
		clinicalReportIssues(env, res.Issues, filepath.Join(*out, "issues.tsv"))
	}
	path, err := clinical.WriteScreening(*out, sc)
	if err != nil {
		return err
	}
	for _, c := range sc.Counts() {
		fmt.Fprintf(env.stdout, "group %-10s %3d of %3d eligible\n", c.Group, c.Eligible, c.Screened)
	}
	fmt.Fprintf(env.stdout, "screening: %s\n", path)
	if len(sc.Issues) > 0 {
		fmt.Fprintf(env.stderr, "%d derivative issues; first: %s\n", len(sc.Issues), sc.Issues[0])
	}
	return nil
}
