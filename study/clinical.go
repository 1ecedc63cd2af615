package study

import (
	"fmt"
	"glusleep/internal/tsv"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/clinical"
)

// clinicalLevel scores the questionnaires in the dataset's phenotype/
// folder and screens every participant with the plan's eligibility
// protocol, reading leg-movement and other derivative fields from the
// participant level's outputs in out. It writes the score tables and the
// screening to dir and returns, per participant ID, the cohort fields
// (plan.ClinicalColumns, "eligible" and "ineligible_reason") and lines for
// the report. Without a phenotype/ folder it returns no fields and says so.
func clinicalLevel(d *Dataset, out, dir string, plan Plan) (map[string]map[string]string, []string, error) {
	phen := filepath.Join(d.Root, "phenotype")
	if st, err := os.Stat(phen); err != nil || !st.IsDir() {
		return nil, []string{"The dataset has no phenotype/ folder: clinical scores and eligibility were not computed."}, nil
	}
	pheno, err := clinical.ReadBIDSPhenotype(phen)
	if err != nil {
		return nil, nil, fmt.Errorf("phenotype: %w", err)
	}
	relativeSources(pheno.Issues, d.Root)
	var proto *clinical.Protocol
	if plan.Protocol == "" {
		proto, err = clinical.ParseProtocol(clinical.Allen2013Protocol, "allen2013.json (built in)")
	} else {
		path := plan.Protocol
		if !filepath.IsAbs(path) {
			path = filepath.Join(d.Root, path)
		}
		proto, err = clinical.LoadProtocol(path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("eligibility protocol: %w", err)
	}
	protocolLayout(d, out, proto)
	subjects, err := screenedSubjects(d)
	if err != nil {
		return nil, nil, err
	}
	var leftOut []string
	for _, l := range d.leftOut {
		leftOut = append(leftOut, "sub-"+l)
	}
	pheno.Drop(leftOut)
	sc, res, err := clinical.ScreenParticipants(proto, subjects, pheno, out)
	if err != nil {
		return nil, nil, fmt.Errorf("screening: %w", err)
	}
	relativeSources(sc.Issues, out)
	if _, err := clinical.WriteResults(dir, res); err != nil {
		return nil, nil, err
	}
	if _, err := clinical.WriteScreening(dir, sc); err != nil {
		return nil, nil, err
	}
	if err := describeClinical(dir); err != nil {
		return nil, nil, err
	}
	scores := res.Fields()
	fields := map[string]map[string]string{}
	var notes []string
	for _, s := range sc.Subjects {
		f := map[string]string{}
		for _, c := range plan.ClinicalColumns {
			v, ok := scores[s.Participant][c]
			if !ok {
				f[c] = tsv.NA
				continue
			}
			f[c] = v.String()
		}
		f["eligible"] = fmt.Sprint(s.Eligible)
		f["ineligible_reason"] = tsv.NA
		if !s.Eligible && s.Reason != "" {
			f["ineligible_reason"] = s.Reason
		}
		fields[s.Participant] = f
		if !s.Eligible {
			notes = append(notes, fmt.Sprintf("%s (%s) not eligible: %s", s.Participant, s.Group, s.Reason))
		}
	}
	lines := []string{fmt.Sprintf("Eligibility by the protocol %q (%s criteria):", proto.Name, proto.CriteriaSet)}
	for _, c := range sc.Counts() {
		lines = append(lines, fmt.Sprintf("%s: %d of %d eligible", c.Group, c.Eligible, c.Screened))
	}
	lines = append(lines, notes...)
	for _, is := range sc.Issues {
		lines = append(lines, "issue: "+is.String())
	}
	return fields, lines, nil
}

// screenedSubjects returns the participants of d listed in
// participants.tsv as the subjects to screen, by ID, with their
// participants.tsv values (clinical.ParseValue) — the participants the
// group level analyses, not participants.tsv read again (which would
// bring back the ones GroupOptions.AllowMissing left out).
func screenedSubjects(d *Dataset) ([]clinical.Subject, error) {
	if len(d.Columns) == 0 {
		return nil, fmt.Errorf("%s: no participants.tsv: participants cannot be screened", d.Root)
	}
	var out []clinical.Subject
	for _, p := range d.Participants {
		if !p.listed {
			continue
		}
		id := "sub-" + p.Label
		s := clinical.Subject{ID: id, Fields: map[string]clinical.Value{"participant_id": clinical.Str(id)}}
		for _, c := range d.Columns {
			if c != "participant_id" {
				s.Fields[c] = clinical.ParseValue(p.Fields[c])
			}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// relativeSources makes each issue's Source (file:line:column) relative to
// root, so group/clinical/issues.tsv and the report name files inside the
// dataset (or the derivatives) without the machine's folder layout.
func relativeSources(issues []clinical.Issue, root string) {
	var prefixes []string
	for _, r := range []string{filepath.Clean(root)} {
		prefixes = append(prefixes, r+string(filepath.Separator))
		if a, err := filepath.Abs(r); err == nil && a != r {
			prefixes = append(prefixes, a+string(filepath.Separator))
		}
	}
	for i := range issues {
		for _, p := range prefixes {
			if strings.HasPrefix(issues[i].Source, p) {
				issues[i].Source = strings.TrimPrefix(issues[i].Source, p)
				break
			}
		}
	}
}
