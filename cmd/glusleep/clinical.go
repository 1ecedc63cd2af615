package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"glusleep/clinical"
	"glusleep/internal/atomicfile"
	"glusleep/synth"
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
	registerDemoStep(50, "clinical", demoClinical)
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
			return nil, fmt.Errorf("%w: %s is a REDCap export: give its data dictionary with --redcap-dictionary", errUsage, p)
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
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: need at least one PHENOTYPE folder or file", errUsage)
	}
	if *out == "" {
		return fmt.Errorf("%w: need --out DIR", errUsage)
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
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: need exactly one PARTICIPANTS.tsv", errUsage)
	}
	if *protoPath == "" || *out == "" {
		return fmt.Errorf("%w: need --protocol FILE and --out DIR", errUsage)
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

// clinicalCohortDataset turns a synthetic cohort into a clinical dataset.
func clinicalCohortDataset(cohort []synth.ClinicalParticipant) *clinical.Dataset {
	d := clinical.NewDataset()
	d.MedicationTable = true
	for _, p := range cohort {
		cols := make([]string, 0, len(p.Answers))
		for c := range p.Answers {
			cols = append(cols, c)
		}
		sort.Strings(cols)
		for _, c := range cols {
			d.Set(p.ID, c, p.Answers[c])
		}
		for _, m := range p.Medications {
			d.AddMedication(p.ID, clinical.Medication{Drug: m.Drug, DailyDose: m.DailyDose, DoseUnit: m.DoseUnit, Start: m.Start})
		}
	}
	return d
}

// demoClinical synthesizes the questionnaires of 28 RLS patients and 20
// controls as a BIDS dataset (ctx.out/bids-clinical: participants.tsv,
// phenotype/, derivatives with per-night PLM counts standing in for the leg
// movement step's output, code/allen2013.json), scores and screens them,
// and checks the results against the synthetic truth. It records
// ctx.files["clinical.scores"] (all scores, TSV), ["clinical.screening"]
// (every rule per participant, TSV), ["clinical.eligibility"] (one row per
// participant), ["clinical.participants"], ["clinical.protocol"] and
// ["clinical.bids"] (the BIDS root with phenotype/ and derivatives/).
func demoClinical(ctx *demoContext) error {
	cohort := synth.ClinicalCohort(ctx.seed, synth.ClinicalOptions{RLS: 28, Controls: 20, Nights: 2})
	root := filepath.Join(ctx.out, "bids-clinical")
	if err := os.MkdirAll(filepath.Join(root, "code"), 0o755); err != nil {
		return err
	}
	var pb bytes.Buffer
	pb.WriteString("participant_id\tage\tsex\tgroup\n")
	for _, p := range cohort {
		fmt.Fprintf(&pb, "%s\t%d\t%s\t%s\n", p.ID, p.Age, p.Sex, p.Truth.Group)
	}
	partPath := filepath.Join(root, "participants.tsv")
	if err := atomicfile.WriteFile(partPath, pb.Bytes(), 0o644); err != nil {
		return err
	}
	side, _ := json.MarshalIndent(map[string]any{
		"age":   map[string]string{"Description": "age at enrolment", "Units": "years"},
		"sex":   map[string]any{"Description": "sex", "Levels": map[string]string{"F": "female", "M": "male"}},
		"group": map[string]any{"Description": "study group", "Levels": map[string]string{"rls": "restless legs syndrome", "control": "control"}},
	}, "", "  ")
	if err := atomicfile.WriteFile(filepath.Join(root, "participants.json"), append(side, '\n'), 0o644); err != nil {
		return err
	}
	if err := clinical.WriteBIDSPhenotype(filepath.Join(root, "phenotype"), clinicalCohortDataset(cohort)); err != nil {
		return err
	}
	deriv := filepath.Join(root, "derivatives", "glusleep-legs")
	for _, p := range cohort {
		dir := filepath.Join(deriv, p.ID)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for n, c := range p.PLMCounts {
			b, _ := json.Marshal(map[string]any{"plm_count": c, "synthetic": true})
			if err := atomicfile.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_night-%d_legs.json", p.ID, n+1)), append(b, '\n'), 0o644); err != nil {
				return err
			}
		}
	}
	protoPath := filepath.Join(root, "code", "allen2013.json")
	if err := atomicfile.WriteFile(protoPath, clinical.Allen2013Protocol, 0o644); err != nil {
		return err
	}
	sc, res, err := clinicalScreenFiles(protoPath, partPath, "", deriv, "")
	if err != nil {
		return err
	}
	out := filepath.Join(ctx.out, "clinical")
	scores, err := clinical.WriteResults(out, res)
	if err != nil {
		return err
	}
	screening, err := clinical.WriteScreening(out, sc)
	if err != nil {
		return err
	}
	if err := clinicalCheckTruth(cohort, res, sc); err != nil {
		return err
	}
	clinicalPrintSummary(ctx.env, sc)
	fmt.Fprintf(ctx.env.stdout, "clinical: %d participants; IRLS, PSQI, ESS, JHRLSS and eligibility equal the synthetic truth → %s\n", len(cohort), screening)
	ctx.files["clinical.scores"] = scores
	ctx.files["clinical.screening"] = screening
	ctx.files["clinical.eligibility"] = filepath.Join(out, "eligibility.tsv")
	ctx.files["clinical.participants"] = partPath
	ctx.files["clinical.protocol"] = protoPath
	ctx.files["clinical.bids"] = root
	return nil
}

// clinicalCheckTruth compares scores and screening with the cohort's truth.
func clinicalCheckTruth(cohort []synth.ClinicalParticipant, res *clinical.Results, sc *clinical.Screening) error {
	f := res.Fields()
	elig := map[string]bool{}
	for _, s := range sc.Subjects {
		elig[s.Participant] = s.Eligible
	}
	num := func(id, k string) float64 {
		v := f[id][k]
		if v.Kind != clinical.KindNumber {
			return -1
		}
		return v.Num
	}
	for _, p := range cohort {
		t := p.Truth
		if t.IRLSTotal >= 0 && num(p.ID, "irls_total") != float64(t.IRLSTotal) {
			return fmt.Errorf("%s: IRLS total %v, truth %d", p.ID, f[p.ID]["irls_total"], t.IRLSTotal)
		}
		if num(p.ID, "psqi_global") != float64(t.PSQIGlobal) || num(p.ID, "ess_total") != float64(t.ESSTotal) || num(p.ID, "jhrlss") != float64(t.JHRLSS) {
			return fmt.Errorf("%s: PSQI %v ESS %v JHRLSS %v, truth %d %d %d", p.ID, f[p.ID]["psqi_global"], f[p.ID]["ess_total"], f[p.ID]["jhrlss"], t.PSQIGlobal, t.ESSTotal, t.JHRLSS)
		}
		for k, c := range t.PSQIComponents {
			if name := clinical.PSQI.Outputs[k].Name; num(p.ID, name) != float64(c) {
				return fmt.Errorf("%s: %s %v, truth %d", p.ID, name, f[p.ID][name], c)
			}
		}
		if elig[p.ID] != t.Eligible {
			return fmt.Errorf("%s: eligible %t, designed %t", p.ID, elig[p.ID], t.Eligible)
		}
	}
	return nil
}
