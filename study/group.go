package study

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
	"glusleep/plot"
	"glusleep/report"
	"glusleep/stats"
)

// Plan is the group-level analysis plan. The zero value is not useful: use
// DefaultPlan (the paper's analyses) or read one with ReadPlan.
type Plan struct {
	// GroupColumn names the participants.tsv column holding the group;
	// Patients and Controls are its two values.
	GroupColumn string `json:"group_column"`
	Patients    string `json:"patients"`
	Controls    string `json:"controls"`
	// Outcome is the MRS measure compared between groups (a cohort column).
	Outcome string `json:"outcome"`
	// SleepMeasures are correlated with Outcome within each group; their
	// p-values are adjusted with Adjust across the measures.
	SleepMeasures []string `json:"sleep_measures"`
	Adjust        string   `json:"adjust"`
	// Model is a linear model over cohort columns (e.g. the interaction of
	// glutamate and group on wake time with covariates).
	Model string `json:"model"`
	// Protocol is the eligibility protocol (a clinical protocol JSON file,
	// relative to the dataset's root unless absolute); empty uses the
	// built-in protocol of Allen et al. 2013. Screening runs when the
	// dataset has a phenotype/ folder.
	Protocol string `json:"protocol,omitempty"`
	// ClinicalColumns are the clinical scores added to the cohort table.
	ClinicalColumns []string `json:"clinical_columns,omitempty"`
	// KeepColumns are further participants.tsv columns the group outputs
	// keep. Only participant_id, GroupColumn, the columns named above
	// (Outcome, SleepMeasures, the Model's variables, ClinicalColumns) and
	// these are copied into the shareable group outputs; every other
	// column (a name, a birth date or a record number a site left there)
	// is left out, with a note in the report and results.txt.
	KeepColumns []string `json:"keep_columns,omitempty"`
	// OnlyEligible restricts the analyses to participants the protocol
	// found eligible (all participants stay in the cohort table).
	OnlyEligible bool `json:"only_eligible,omitempty"`
	// QC thresholds flag spectra in the report: SNR below QCMinSNR (NAA
	// height over noise SD, mrs/fit.QC), linewidth above QCMaxFWHMPPM (ppm)
	// or the outcome's CRLB above QCMaxCRLBPercent. ExcludeFailedQC drops
	// flagged spectra's outcome from the analyses (set to n/a).
	QCMinSNR         float64 `json:"qc_min_snr"`
	QCMaxFWHMPPM     float64 `json:"qc_max_fwhm_ppm"`
	QCMaxCRLBPercent float64 `json:"qc_max_crlb_percent"`
	ExcludeFailedQC  bool    `json:"exclude_failed_qc,omitempty"`
	// Labels name cohort columns on figures and in tables (e.g.
	// "glx_tcr": "Glx/tCr"), over DefaultLabels.
	Labels map[string]string `json:"labels,omitempty"`
}

// DefaultPlan is the analysis of Allen et al. 2013: Glx/tCr by group
// (one-tailed Student t as published, with Welch, Mann–Whitney and Hedges
// g), correlations of Glx/tCr with WASO and TST within each group with
// Fisher-z CIs, the comparison of the groups' correlations, and
// waso ~ glx * group + age + sex, with Holm's correction across the sleep
// measures.
func DefaultPlan() Plan {
	return Plan{GroupColumn: "group", Patients: "rls", Controls: "control", Outcome: "glx_tcr",
		SleepMeasures: []string{"waso_min", "tst_min"}, Adjust: "holm",
		Model:           "waso_min ~ glx_tcr * group + age + sex",
		ClinicalColumns: []string{"irls_total"},
		QCMinSNR:        5, QCMaxFWHMPPM: 0.15, QCMaxCRLBPercent: 20}
}

// ReadPlan reads a plan from JSON, filling unset fields from DefaultPlan;
// an empty path is DefaultPlan itself.
func ReadPlan(path string) (Plan, error) {
	p := DefaultPlan()
	if path == "" {
		return p, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt field must not silently keep its default
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("analysis plan %s: %w", path, err)
	}
	return p, nil
}

// cohortColumns are the derived columns added to participants.tsv's.
var cohortColumns = []string{"glx_tcr", "glx_crlb_percent", "tnaa_tcr", "snr", "fwhm_ppm", "nights", "tst_min", "waso_min", "sleep_efficiency_pct", "sleep_onset_latency_min", "plms_index", "plm_per_night"}

// Cohort builds the cohort table: participants.tsv's columns, each
// participant's summary (n/a where missing) and the extra columns (e.g.
// clinical scores) from extra, keyed by participant ID ("sub-01").
func Cohort(d *Dataset, out string, extra map[string]map[string]string, extraCols []string) (header []string, rows [][]string, err error) {
	header, rows, _, err = cohort(d, out, extra, extraCols)
	return header, rows, err
}

// cohort is Cohort, also returning the QC flags of the fit each
// participant's MRS measures come from (by participant ID, as
// "source: name (message)", the source the spectrum's file name or the
// --mrs-results result), read from the same summaries.
func cohort(d *Dataset, out string, extra map[string]map[string]string, extraCols []string) (header []string, rows [][]string, flags map[string][]string, err error) {
	header = append(append([]string(nil), d.Columns...), cohortColumns...)
	if len(d.Columns) == 0 {
		header = append([]string{"participant_id"}, cohortColumns...)
	}
	header = append(header, extraCols...)
	flags = map[string][]string{}
	for _, p := range d.Participants {
		row := make([]string, 0, len(header))
		base := d.Columns
		if len(base) == 0 {
			base = []string{"participant_id"}
		}
		for _, c := range base {
			v := p.Fields[c]
			if v == "" {
				v = tsv.NA
			}
			row = append(row, v)
		}
		sum, err := readSummary(out, p.Label)
		if err != nil {
			return nil, nil, nil, err
		}
		if ff := sum.flagLines(); len(ff) > 0 {
			flags["sub-"+p.Label] = ff
		}
		values := sum.cohortValues()
		for _, c := range cohortColumns {
			row = append(row, tsv.Sig(values[c], 4))
		}
		for _, c := range extraCols {
			v := extra["sub-"+p.Label][c]
			if v == "" {
				v = tsv.NA
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	return header, rows, flags, nil
}

// readSummary reads participant label's summary from the derivatives
// folder out, decoded once; a participant without one (not processed yet:
// the file does not exist) has a nil summary, not an error; any other
// read error (permissions, a folder in its place) is an error naming the
// file.
func readSummary(out, label string) (*Summary, error) {
	var sum Summary
	switch err := readJSON(filepath.Join(out, "sub-"+label, "sub-"+label+"_summary.json"), &sum); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("sub-%s summary: %w", label, err)
	}
	return &sum, nil
}

// cohortValues returns the summary's measures by cohort column
// (cohortColumns, the summary's JSON keys), NaN where missing (null) and
// for every column of a nil summary.
func (s *Summary) cohortValues() map[string]float64 {
	v := map[string]float64{}
	for _, c := range cohortColumns {
		v[c] = math.NaN()
	}
	if s == nil {
		return v
	}
	for c, p := range map[string]*float64{"glx_tcr": s.GlxTCr, "glx_crlb_percent": s.GlxCRLB, "tnaa_tcr": s.NAATCr,
		"snr": s.SNR, "fwhm_ppm": s.FWHMPPM, "tst_min": s.TST, "waso_min": s.WASO, "sleep_efficiency_pct": s.SE,
		"sleep_onset_latency_min": s.SOL, "plms_index": s.PLMSIndex, "plm_per_night": s.PLMPerNight} {
		if p != nil {
			v[c] = *p
		}
	}
	v["nights"] = float64(s.Nights)
	return v
}

// flagLines returns the QC flags of the fit the summary's MRS measures
// come from, as "source: name (message)" (names only from a summary
// without the messages).
func (s *Summary) flagLines() []string {
	if s == nil {
		return nil
	}
	src := s.MRSInput
	if src == "" {
		src = s.MRSSource
	}
	prefix := ""
	if src != "" { // a summary written before mrs_input was recorded names none
		prefix = src + ": "
	}
	var out []string
	for _, f := range s.QCFlagDetails {
		out = append(out, fmt.Sprintf("%s%s (%s)", prefix, f.Name, f.Message))
	}
	if len(out) == 0 {
		for _, n := range s.QCFlags {
			out = append(out, prefix+n)
		}
	}
	return out
}

// GroupResult is what the group level computed.
type GroupResult struct {
	CohortTSV string
	Report    string
	Lines     []string
}

// column returns the cohort's column name as numbers (NaN where
// missing); a cell that is not a number (tsv.Float: "12abc", "1,5") is an
// error naming the file, the participant's row and the column.
func column(header []string, rows [][]string, name string) ([]float64, error) {
	i := -1
	for k, h := range header {
		if h == name {
			i = k
		}
	}
	if i < 0 {
		return nil, fmt.Errorf("cohort has no column %q", name)
	}
	out := make([]float64, len(rows))
	for r, row := range rows {
		v, err := tsv.Float(row[i])
		if err != nil {
			return nil, fmt.Errorf("group/cohort.tsv: row %s, column %q: %w", row[0], name, err)
		}
		out[r] = v
	}
	return out, nil
}

func textColumn(header []string, rows [][]string, name string) []string {
	for k, h := range header {
		if h == name {
			out := make([]string, len(rows))
			for r, row := range rows {
				out[r] = row[k]
			}
			return out
		}
	}
	return nil
}

// Group runs the group level with the default options (participants
// without outputs are an error): see GroupWith.
func Group(d *Dataset, out string, plan Plan, version string) (*GroupResult, error) {
	return GroupWith(d, out, plan, version, GroupOptions{})
}

// GroupWith runs the group level: the cohort table (out/group/cohort.tsv),
// the plan's analyses, and the HTML report (out/group/report.html). It
// refuses (with a *MissingOutputsError) when participants have no
// participant-level outputs, unless opt.AllowMissing, which leaves them
// out and lists them in the results and the report.
func GroupWith(d *Dataset, out string, plan Plan, version string, opt GroupOptions) (*GroupResult, error) {
	missing := MissingOutputs(d, out)
	if len(missing) > 0 && (!opt.AllowMissing || len(missing) == len(d.Participants)) {
		return nil, &MissingOutputsError{Labels: missing, Total: len(d.Participants), Out: out}
	}
	gdir := filepath.Join(out, "group")
	if err := os.MkdirAll(filepath.Join(out, ".work"), 0o777); err != nil {
		return nil, err
	}
	lock, err := AcquireLock(lockPath(out, "group"))
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	if err := os.MkdirAll(gdir, 0o777); err != nil {
		return nil, err
	}
	if err := DescribeDerivatives(out, d, version); err != nil {
		return nil, err
	}
	res := &GroupResult{CohortTSV: filepath.Join(gdir, "cohort.tsv"), Report: filepath.Join(gdir, "report.html")}
	if note := flatLayoutNote(d, out); note != "" {
		res.Lines = append(res.Lines, note)
	}
	if len(missing) > 0 {
		d = d.without(missing)
	}
	c, err := buildCohort(d, out, gdir, plan, res)
	if err != nil {
		return nil, err
	}
	if err := writeCohortSidecar(d, gdir, c.header); err != nil {
		return nil, err
	}
	c.leftOut = missing
	rep := &report.Report{Title: "glusleep study report", Subtitle: fmt.Sprintf("%s — %d participants", datasetName(d.Root), len(d.Participants)),
		// No date or timing: the report is the same bytes for the same
		// inputs; when each participant was made is in its provenance.json.
		Footer: "glusleep " + version}
	rep.Sections = append(rep.Sections, c.overview(d), c.screening(), c.qc)
	rep.Sections = append(rep.Sections, c.groupComparison(res))
	sleep, err := c.sleepCorrelations(res)
	if err != nil {
		return nil, err
	}
	rep.Sections = append(rep.Sections, sleep)
	if plan.Model != "" {
		rep.Sections = append(rep.Sections, c.model(res))
	}
	provs := readProvenances(d, out)
	methods, err := methodsSections(d, out, gdir, plan, version, provs)
	if err != nil {
		return nil, err
	}
	rep.Sections = append(rep.Sections, methods...)
	if err := writeFigures(filepath.Join(gdir, "figures"), c.figs); err != nil {
		return nil, err
	}
	rep.Sections = append(rep.Sections, participantFigures(d, out), provenanceSection(d, provs))
	html, err := rep.HTML()
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(res.Report, html, 0o644); err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		res.Lines = append(res.Lines, fmt.Sprintf("Left out (no participant-level outputs): %s.", labelList(missing)))
	}
	if len(c.dropped) > 0 {
		res.Lines = append(res.Lines, droppedNote(c.dropped))
	}
	lines := strings.Join(res.Lines, "\n") + "\n"
	if err := atomicfile.WriteFile(filepath.Join(gdir, "results.txt"), []byte(lines), 0o644); err != nil {
		return nil, err
	}
	return res, nil
}

// cohortData is the group level's table and what the analyses read of it.
type cohortData struct {
	plan Plan
	// header and allRows are the whole cohort; rows the analysed rows
	// (the eligible ones with plan.OnlyEligible) and table their TSV.
	header        []string
	allRows, rows [][]string
	table         []byte
	// groups and outcome are the analysed rows' group and outcome (NaN
	// when missing or excluded by QC).
	groups    []string
	outcome   []float64
	clinical  bool
	clinLines []string
	qc        report.Section
	// flagged and reasons say, per analysed row, whether its spectrum
	// fails the plan's QC limits and why; figs collects the group figures
	// written as standalone SVG (group/figures/<key>.svg).
	flagged []bool
	reasons []string
	figs    map[string]string
	// dropped are the participants.tsv columns left out of the shareable
	// outputs; leftOut the participants without participant-level outputs
	// (GroupOptions.AllowMissing).
	dropped, leftOut []string
}

func cohortTSV(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(header, "\t") + "\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.Bytes()
}

// buildCohort runs the clinical level, writes the cohort table and selects
// the analysed rows (eligible ones, outcomes passing QC) as the plan says.
func buildCohort(d *Dataset, out, gdir string, plan Plan, res *GroupResult) (*cohortData, error) {
	clin, clinLines, err := clinicalLevel(d, out, filepath.Join(gdir, "clinical"), plan)
	if err != nil {
		return nil, err
	}
	var extraCols []string
	if clin != nil {
		extraCols = append(append(extraCols, plan.ClinicalColumns...), "eligible", "ineligible_reason")
	}
	kept, dropped := plan.keptColumns(d.Columns)
	shared := *d
	shared.Columns = kept
	header, rows, fitFlags, err := cohort(&shared, out, clin, extraCols)
	if err != nil {
		return nil, err
	}
	c := &cohortData{plan: plan, header: header, allRows: rows, rows: rows, table: cohortTSV(header, rows), clinical: clin != nil, clinLines: clinLines, dropped: dropped}

	if err := atomicfile.WriteFile(res.CohortTSV, c.table, 0o644); err != nil {
		return nil, err
	}
	if plan.OnlyEligible && clin != nil {
		el := textColumn(header, rows, "eligible")
		var keep [][]string
		for i, r := range rows {
			if el[i] == "true" {
				keep = append(keep, r)
			}
		}
		c.rows, c.table = keep, cohortTSV(header, keep)
		res.Lines = append(res.Lines, fmt.Sprintf("Analyses restricted to the %d of %d participants found eligible.", len(keep), len(rows)))
	}
	if c.groups = textColumn(header, c.rows, plan.GroupColumn); c.groups == nil {
		return nil, fmt.Errorf("participants.tsv has no %q column", plan.GroupColumn)
	}
	if c.outcome, err = column(header, c.rows, plan.Outcome); err != nil {
		return nil, err
	}
	c.qc, c.flagged, c.reasons = qcReport(plan, header, c.rows, fitFlags)
	c.figs = map[string]string{"qc_snr_fwhm": c.qc.Blocks[1].Figure.SVG}
	if plan.ExcludeFailedQC {
		n := 0
		for i := range c.outcome {
			if c.flagged[i] && !math.IsNaN(c.outcome[i]) {
				c.outcome[i] = math.NaN()
				n++
			}
		}
		res.Lines = append(res.Lines, fmt.Sprintf("%d spectra failing QC excluded from the analyses of %s.", n, plan.Outcome))
	}
	return c, nil
}

// split returns x's values of the patients and of the controls.
func (c *cohortData) split(x []float64) (pat, ctl []float64) {
	for i, g := range c.groups {
		switch g {
		case c.plan.Patients:
			pat = append(pat, x[i])
		case c.plan.Controls:
			ctl = append(ctl, x[i])
		}
	}
	return pat, ctl
}

// inGroup returns the outcome and y of the rows of group grp.
func (c *cohortData) inGroup(grp string, y []float64) (xs, ys []float64) {
	for i, g := range c.groups {
		if g == grp {
			xs, ys = append(xs, c.outcome[i]), append(ys, y[i])
		}
	}
	return xs, ys
}

// pearson correlates the outcome with y in group grp.
func (c *cohortData) pearson(grp string, y []float64) (stats.CorResult, error) {
	xs, ys := c.inGroup(grp, y)
	return stats.Correlation(xs, ys, stats.CorOptions{Method: stats.Pearson})
}

// overview is the report's participants section: counts, data problems and
// the cohort table.
func (c *cohortData) overview(d *Dataset) report.Section {
	var missing []string
	for _, p := range d.Participants {
		for _, pr := range p.Problems {
			missing = append(missing, "sub-"+p.Label+": "+pr)
		}
	}
	plan := c.plan
	blocks := []report.Block{{Text: fmt.Sprintf("%d participants (%s: %d, %s: %d).", len(d.Participants),
		plan.Patients, count(c.groups, plan.Patients), plan.Controls, count(c.groups, plan.Controls))}}
	if len(c.leftOut) > 0 {
		blocks = append(blocks, report.Block{Text: fmt.Sprintf("Left out (no participant-level outputs): %s.", labelList(c.leftOut))})
	}
	if len(c.dropped) > 0 {
		blocks = append(blocks, report.Block{Text: droppedNote(c.dropped)})
	}
	if len(missing) > 0 {
		blocks = append(blocks, report.Block{Text: "Data problems found by the participant level:"}, report.Block{List: missing})
	}
	blocks = append(blocks, report.Block{Table: &report.Table{Caption: "Cohort (group/cohort.tsv)", Header: c.header, Rows: c.allRows}})
	return report.Section{ID: "cohort", Title: "Participants", Blocks: blocks}
}

// screening is the report's clinical screening section.
func (c *cohortData) screening() report.Section {
	var eb []report.Block
	if len(c.clinLines) > 0 {
		eb = append(eb, report.Block{Text: c.clinLines[0]}, report.Block{List: c.clinLines[1:]})
	}
	if c.clinical {
		eb = append(eb, report.Block{Text: "Scores per instrument and every rule's outcome per participant: group/clinical/ (screening.tsv, screening_results.json)."})
	}
	return report.Section{ID: "eligibility", Title: "Clinical screening", Blocks: eb}
}

// groupComparison compares the outcome between the groups (the paper's
// one-tailed Student test, Welch, Mann–Whitney, Hedges g) with a figure.
func (c *cohortData) groupComparison(res *GroupResult) report.Section {
	plan := c.plan
	pat, ctl := c.split(c.outcome)
	var gb []report.Block
	add := func(line string) {
		res.Lines = append(res.Lines, line)
		gb = append(gb, report.Block{Result: line})
	}
	if tt, err := stats.TTest(pat, ctl, stats.TTestOptions{Alternative: stats.Greater, VarEqual: true}); err == nil {
		add(fmt.Sprintf("%s, %s > %s (Student, one-tailed as published): %s", plan.Outcome, plan.Patients, plan.Controls, tt.APA()))
	} else {
		add(fmt.Sprintf("%s: Student t-test not computed: %v", plan.Outcome, err))
	}
	if tt, err := stats.TTest(pat, ctl, stats.TTestOptions{}); err == nil {
		add(fmt.Sprintf("%s (Welch, two-sided): %s", plan.Outcome, tt.APA()))
	} else {
		add(fmt.Sprintf("%s: Welch t-test not computed: %v", plan.Outcome, err))
	}
	if mw, err := stats.MannWhitney(pat, ctl, stats.MWUOptions{}); err == nil {
		add(fmt.Sprintf("%s (Mann–Whitney, two-sided): %s", plan.Outcome, mw.APA()))
	} else {
		add(fmt.Sprintf("%s: Mann–Whitney test not computed: %v", plan.Outcome, err))
	}
	if es, err := stats.CohensD(pat, ctl, 0.95); err == nil {
		add(fmt.Sprintf("Hedges g = %.2f, 95%% CI [%.2f, %.2f]", es.G, es.GCI.Lower, es.GCI.Upper))
	} else {
		add(fmt.Sprintf("%s: Hedges g not computed: %v", plan.Outcome, err))
	}
	gsvg := groupFigure(plan, pat, ctl).SVG()
	c.figs[figureName(plan.Outcome, "by_group")] = gsvg
	gb = append(gb, report.Block{Figure: &report.Figure{SVG: gsvg,
		Caption: plan.Label(plan.Outcome) + " by group: every participant shown, with the box plot and the mean ± 95% CI (group/figures/" + figureName(plan.Outcome, "by_group") + ".svg)"}})
	sens, sensLines := qcSensitivity(plan, c.header, c.rows, c.groups, c.flagged, c.reasons)
	res.Lines = append(res.Lines, sensLines...)
	gb = append(gb, sens...)
	return report.Section{ID: "groups", Title: "Glutamate by group", Blocks: gb}
}

// sleepCorrelations correlates the outcome with each sleep measure per
// group (Pearson, p adjusted across measures), compares the groups'
// correlations (Fisher z) and draws each measure.
func (c *cohortData) sleepCorrelations(res *GroupResult) (report.Section, error) {
	plan := c.plan
	var cb []report.Block
	add := func(l string) {
		res.Lines = append(res.Lines, l)
		cb = append(cb, report.Block{Result: l})
	}
	ys := make([][]float64, len(plan.SleepMeasures))
	for k, m := range plan.SleepMeasures {
		y, err := column(c.header, c.rows, m)
		if err != nil {
			return report.Section{}, err
		}
		ys[k] = y
	}
	for _, grp := range []string{plan.Patients, plan.Controls} {
		var ps []float64
		var lines []string
		for k, m := range plan.SleepMeasures {
			r, err := c.pearson(grp, ys[k])
			if err != nil {
				lines = append(lines, fmt.Sprintf("%s: %s vs %s not computed: %v", grp, plan.Outcome, m, err))
				ps = append(ps, math.NaN())
				continue
			}
			ps = append(ps, r.P)
			lines = append(lines, fmt.Sprintf("%s: %s vs %s: %s", grp, plan.Outcome, m, r.APA()))
		}
		adj := ps
		if a, err := stats.PAdjust(ps, stats.AdjustMethod(plan.Adjust)); err == nil {
			adj = a
		}
		for i, l := range lines {
			if !math.IsNaN(adj[i]) {
				l += fmt.Sprintf("; %s-adjusted %s", plan.Adjust, stats.FormatP(adj[i]))
			}
			add(l)
		}
	}
	for k, m := range plan.SleepMeasures {
		var r [2]stats.CorResult
		ok := true
		for g, grp := range []string{plan.Patients, plan.Controls} {
			var err error
			if r[g], err = c.pearson(grp, ys[k]); err != nil {
				ok = false
			}
		}
		if ok {
			if cmp, err := stats.CompareIndependent(r[0].Estimate, r[0].N, r[1].Estimate, r[1].N, stats.TwoSided); err == nil {
				add(fmt.Sprintf("%s–%s correlation, %s vs %s (Fisher z): %s", plan.Outcome, m, plan.Patients, plan.Controls, cmp.APA()))
			}
		}
		ssvg := scatterFigure(plan, c.groups, c.outcome, ys[k], m).SVG()
		c.figs[figureName(plan.Outcome, "vs", m)] = ssvg
		cb = append(cb, report.Block{Figure: &report.Figure{SVG: ssvg,
			Caption: plan.Label(plan.Outcome) + " against " + plan.Label(m) + " by group, with least-squares lines and their 95% confidence bands (group/figures/" + figureName(plan.Outcome, "vs", m) + ".svg)" + measureNote(m)}})
	}
	return report.Section{ID: "sleep", Title: "Glutamate and sleep", Blocks: cb}, nil
}

// model fits the plan's linear model to the analysed rows.
func (c *cohortData) model(res *GroupResult) report.Section {
	plan := c.plan
	var mb []report.Block
	t, err := stats.ReadTable(bytes.NewReader(c.table), "cohort.tsv")
	if err != nil {
		mb = append(mb, report.Block{Text: "Model not fitted: " + err.Error()})
	} else {
		lm, err := stats.LM(plan.Model, t, stats.LMOptions{Levels: map[string][]string{plan.GroupColumn: {plan.Controls, plan.Patients}}})
		if err == nil {
			l := plan.Model + ": " + lm.APA()
			res.Lines = append(res.Lines, l)
			mb = append(mb, report.Block{Result: l})
			var ct [][]string
			for _, c := range lm.Coefs {
				ct = append(ct, []string{c.Name, fmt.Sprintf("%.4g", c.Estimate), fmt.Sprintf("%.4g", c.SE), fmt.Sprintf("%.3f", c.T), stats.FormatP(c.P)})
			}
			mb = append(mb, report.Block{Table: &report.Table{Caption: "Coefficients", Header: []string{"term", "estimate", "SE", "t", "p"}, Rows: ct}})
		} else {
			mb = append(mb, report.Block{Text: "Model not fitted: " + err.Error()})
		}
	}
	return report.Section{ID: "model", Title: "Linear model", Blocks: mb}
}

// readProvenances reads the provenance.json of each of d's participants
// that has one (by label).
func readProvenances(d *Dataset, out string) map[string]*Provenance {
	provs := map[string]*Provenance{}
	for _, p := range d.Participants {
		if pv, err := ReadProvenance(filepath.Join(out, "sub-"+p.Label)); err == nil {
			provs[p.Label] = pv
		}
	}
	return provs
}

// provenanceSection lists each finished participant's provenance key.
func provenanceSection(d *Dataset, provs map[string]*Provenance) report.Section {
	var prov []string
	labels := make([]string, 0, len(d.Participants))
	for _, p := range d.Participants {
		labels = append(labels, p.Label)
	}
	sort.Strings(labels)
	for _, l := range labels {
		if pv, ok := provs[l]; ok {
			prov = append(prov, fmt.Sprintf("sub-%s: key %s…, %d inputs", l, pv.Key[:min(12, len(pv.Key))], len(pv.Inputs)))
		}
	}
	return report.Section{ID: "provenance", Title: "Provenance", Blocks: []report.Block{
		{Text: "Each participant's derivatives record the SHA-256 of their inputs and settings (provenance.json)."}, {List: prov}}}
}

func count(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

func dropNaN(x []float64) []float64 {
	var out []float64
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// qcReport flags spectra outside the plan's QC limits and returns the QC
// section (SNR against linewidth, flagged spectra in orange and listed)
// and, per cohort row, whether it is flagged.
//
// fitFlags are the implausible-result flags of the fit each
// participant's cohort measures come from (by participant ID, see
// cohort): a flagged participant is marked in the list and the figure,
// like one outside the limits.
func qcReport(plan Plan, header []string, rows [][]string, fitFlags map[string][]string) (report.Section, []bool, []string) {
	ids := textColumn(header, rows, "participant_id")
	snr, _ := column(header, rows, "snr")
	fwhm, _ := column(header, rows, "fwhm_ppm")
	crlb, _ := column(header, rows, "glx_crlb_percent")
	flagged := make([]bool, len(rows))
	reasons := make([]string, len(rows))
	var why []string
	var okX, okY, badX, badY []float64
	for i := range rows {
		if snr == nil || fwhm == nil || math.IsNaN(snr[i]) {
			if ff := fitFlags[ids[i]]; len(ff) > 0 {
				flagged[i] = true
				reasons[i] = "⚠ implausible fit: " + strings.Join(ff, "; ")
				why = append(why, ids[i]+": ⚠ implausible fit: "+strings.Join(ff, "; "))
			}
			continue
		}
		var r []string
		if ff := fitFlags[ids[i]]; len(ff) > 0 {
			r = append(r, "⚠ implausible fit: "+strings.Join(ff, "; "))
		}
		if plan.QCMinSNR > 0 && snr[i] < plan.QCMinSNR {
			r = append(r, fmt.Sprintf("SNR %.1f < %g", snr[i], plan.QCMinSNR))
		}
		if plan.QCMaxFWHMPPM > 0 && fwhm[i] > plan.QCMaxFWHMPPM {
			r = append(r, fmt.Sprintf("FWHM %.3f ppm > %g", fwhm[i], plan.QCMaxFWHMPPM))
		}
		if crlb != nil && plan.QCMaxCRLBPercent > 0 && !(crlb[i] <= plan.QCMaxCRLBPercent) {
			r = append(r, fmt.Sprintf("%s CRLB %.1f%% > %g%%", plan.Outcome, crlb[i], plan.QCMaxCRLBPercent))
		}
		if len(r) > 0 {
			flagged[i] = true
			reasons[i] = strings.Join(r, "; ")
			why = append(why, ids[i]+": "+strings.Join(r, "; "))
			badX, badY = append(badX, fwhm[i]), append(badY, snr[i])
		} else {
			okX, okY = append(okX, fwhm[i]), append(okY, snr[i])
		}
	}
	f := &plot.Figure{Title: "Spectral quality", XLabel: "linewidth FWHM (ppm)", YLabel: "SNR (NAA height / noise SD)", Width: 520, Height: 420}
	f.Scatter(okX, okY, 4, "#1f77b4", "passed")
	if len(badX) > 0 {
		f.Scatter(badX, badY, 5, "#ff7f0e", "flagged")
	}
	blocks := []report.Block{{Text: fmt.Sprintf("Limits: SNR ≥ %g, FWHM ≤ %g ppm, %s CRLB ≤ %g%%. %d of %d spectra flagged%s.",
		plan.QCMinSNR, plan.QCMaxFWHMPPM, plan.Outcome, plan.QCMaxCRLBPercent, len(why), len(okX)+len(badX),
		map[bool]string{true: " and excluded from the primary analyses (kept in the sensitivity analysis beside them)", false: " (kept in the primary analyses; excluded in the sensitivity analysis beside them)"}[plan.ExcludeFailedQC])},
		{Figure: &report.Figure{SVG: f.SVG(), Caption: "SNR against linewidth per spectrum; flagged spectra in orange"}}}
	if len(why) > 0 {
		blocks = append(blocks, report.Block{List: why})
	}
	return report.Section{ID: "qc", Title: "Spectral quality", Blocks: blocks}, flagged, reasons
}

// participantFigures gathers each participant's figures written by the
// participant level as collapsed figures: per spectrum the fit and the
// preprocessing, per night the hypnogram, the leg movements and the leg
// EMG view.
func participantFigures(d *Dataset, out string) report.Section {
	var blocks []report.Block
	for _, p := range d.Participants {
		for _, kind := range []string{"fit.svg", "preproc.svg", "hypnogram.svg", "legs.svg", "legs_emg.svg"} {
			for _, f := range participantOutputs(out, p.Label, kind) {
				b, err := os.ReadFile(f)
				if err != nil || !bytes.HasPrefix(bytes.TrimSpace(b), []byte("<svg")) {
					continue
				}
				blocks = append(blocks, report.Block{Figure: &report.Figure{SVG: string(b), Caption: "sub-" + p.Label + ": " + filepath.Base(f), Collapsed: true}})
			}
		}
	}
	if len(blocks) == 0 {
		blocks = append(blocks, report.Block{Text: "No per-participant figures were found."})
	}
	return report.Section{ID: "participants", Title: "Per participant: spectra and nights", Blocks: blocks}
}

// countNights counts the nights with a scored hypnogram.
func countNights(d *Dataset) int {
	n := 0
	for _, p := range d.Participants {
		for _, nt := range p.Nights {
			if nt.Events != "" {
				n++
			}
		}
	}
	return n
}
