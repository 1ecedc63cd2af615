package main

import (
	"fmt"
	"path/filepath"

	"glusleep/clinical"
	"glusleep/internal/cli"
)

func init() {
	register(&command{
		path:    "clinical score",
		usage:   "clinical score PHENOTYPE... --out DIR [--columns MAP.json] [--redcap-dictionary FILE [--redcap-labels] [--redcap-event NAME]]",
		summary: "score RLS criteria, IRLS, JHRLSS, RLS-6, PSQI, ESS and augmentation from BIDS phenotype files or REDCap exports",
		run:     runClinicalScore,
	})
	register(&command{
		path:    "clinical screen",
		usage:   "clinical screen --protocol FILE PARTICIPANTS.tsv [--phenotype DIR] [--columns MAP.json] [--derivatives DIR] --out DIR",
		summary: "apply a study protocol's inclusion and exclusion rules to every participant",
		run:     runClinicalScreen,
	})
}

// clinicalReadPhenotype reads phenotype folders, TSV files and REDCap
// exports (clinical.ReadPhenotype) with the command's flags.
func clinicalReadPhenotype(paths []string, dictPath string, labels bool, event, colPath string) (*clinical.Dataset, error) {
	opt := clinical.PhenotypeOptions{REDCapDictionary: dictPath, REDCapLabels: labels, REDCapEvent: event}
	if colPath != "" {
		var err error
		if opt.Columns, err = clinical.ReadColumnMap(colPath); err != nil {
			return nil, err
		}
	}
	for _, p := range paths {
		if clinical.IsREDCapExport(p) && dictPath == "" {
			return nil, cli.Usagef("%s is a REDCap export: give its data dictionary with --redcap-dictionary", p)
		}
	}
	return clinical.ReadPhenotype(paths, opt)
}

func clinicalReportIssues(env *cmdEnv, issues []clinical.Issue, path string) {
	nerr := clinical.CountErrors(issues)
	if len(issues) == 0 {
		return
	}
	fmt.Fprintf(env.stderr, "%d input issues (%d errors), all in %s; first ones:\n", len(issues), nerr, path)
	for k, i := range issues {
		if k == 10 {
			break
		}
		fmt.Fprintf(env.stderr, "  %s\n", i)
	}
}

func runClinicalScore(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "clinical score")
	out := fs.String("out", "", "output folder")
	dict := fs.String("redcap-dictionary", "", "REDCap data dictionary CSV for .csv exports")
	labels := fs.Bool("redcap-labels", false, "the REDCap exports hold labels, not raw codes")
	event := fs.String("redcap-event", "", "keep only this redcap_event_name")
	colPath := fs.String("columns", "", "JSON object renaming the forms' variables to glusleep's columns")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return cli.Usagef("need at least one PHENOTYPE folder or file")
	}
	if *out == "" {
		return cli.Usagef("need --out DIR")
	}
	d, err := clinicalReadPhenotype(pos, *dict, *labels, *event, *colPath)
	if err != nil {
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
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("need exactly one PARTICIPANTS.tsv")
	}
	if *protoPath == "" || *out == "" {
		return cli.Usagef("need --protocol FILE and --out DIR")
	}
	sc, res, err := clinicalScreenFiles(*protoPath, pos[0], *pheno, *deriv, *colPath)
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
	clinicalPrintSummary(env, sc)
	fmt.Fprintf(env.stdout, "screening: %s\n", path)
	if len(sc.Issues) > 0 {
		fmt.Fprintf(env.stderr, "%d derivative issues; first: %s\n", len(sc.Issues), sc.Issues[0])
	}
	return nil
}

func clinicalScreenFiles(protoPath, participants, pheno, deriv, colPath string) (*clinical.Screening, *clinical.Results, error) {
	var cols clinical.ColumnMap
	if colPath != "" {
		var err error
		if cols, err = clinical.ReadColumnMap(colPath); err != nil {
			return nil, nil, err
		}
	}
	return clinical.ScreenFiles(protoPath, participants, pheno, deriv, cols)
}

func clinicalPrintSummary(env *cmdEnv, sc *clinical.Screening) {
	for _, c := range sc.Counts() {
		fmt.Fprintf(env.stdout, "group %-10s %3d of %3d eligible\n", c.Group, c.Eligible, c.Screened)
	}
}
