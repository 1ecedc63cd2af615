package demo

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

// ClinicalResult is what Clinical wrote.
type ClinicalResult struct {
	// BIDS is the root of the questionnaire dataset (participants.tsv,
	// phenotype/, derivatives/glusleep-legs/, code/allen2013.json).
	BIDS string
	// Participants is BIDS/participants.tsv (participant_id, age, sex,
	// group) and ParticipantsJSON its sidecar.
	Participants, ParticipantsJSON string
	// Protocol is the study protocol screened against.
	Protocol string
	// Scores (all scores), Screening (every rule per participant) and
	// Eligibility (one row per participant) are the TSV outputs.
	Scores, Screening, Eligibility string
	// IDs and Groups list the participants in participants.tsv's order.
	IDs, Groups []string
	// PLMCounts are each participant's per-night PLM counts (the
	// derivatives standing in for the leg movement step).
	PLMCounts map[string][]int
}

// Clinical synthesizes the questionnaires of the cohort (cfg's group
// sizes) as a BIDS dataset in cfg.Out/bids-clinical — participants.tsv,
// phenotype/, per-night PLM counts as derivatives, the Allen et al. (2013)
// protocol — scores and screens them into cfg.Out/clinical/, and checks
// every score and the eligibility against the synthetic truth.
func Clinical(cfg Config) (*ClinicalResult, error) {
	nr, nc := cfg.groups()
	cohort := synth.ClinicalCohort(cfg.Seed, synth.ClinicalOptions{RLS: nr, Controls: nc, Nights: 2})
	root := filepath.Join(cfg.Out, "bids-clinical")
	r := &ClinicalResult{BIDS: root, Participants: filepath.Join(root, "participants.tsv"),
		ParticipantsJSON: filepath.Join(root, "participants.json"), Protocol: filepath.Join(root, "code", "allen2013.json"),
		PLMCounts: map[string][]int{}}
	if err := os.MkdirAll(filepath.Join(root, "code"), 0o755); err != nil {
		return nil, err
	}
	if err := writeClinicalBIDS(r, cohort); err != nil {
		return nil, err
	}
	deriv := filepath.Join(root, "derivatives", "glusleep-legs")
	sc, res, err := clinical.ScreenFiles(r.Protocol, r.Participants, "", deriv, nil)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(cfg.Out, "clinical")
	if r.Scores, err = clinical.WriteResults(out, res); err != nil {
		return nil, err
	}
	if r.Screening, err = clinical.WriteScreening(out, sc); err != nil {
		return nil, err
	}
	r.Eligibility = filepath.Join(out, "eligibility.tsv")
	if err := checkClinicalTruth(cohort, res, sc); err != nil {
		return nil, err
	}
	w := cfg.stdout()
	for _, c := range sc.Counts() {
		fmt.Fprintf(w, "group %-10s %3d of %3d eligible\n", c.Group, c.Eligible, c.Screened)
	}
	fmt.Fprintf(w, "clinical: %d participants; IRLS, PSQI, ESS, JHRLSS and eligibility equal the synthetic truth → %s\n", len(cohort), r.Screening)
	return r, nil
}

// writeClinicalBIDS writes the cohort's participants.tsv and .json,
// phenotype tables, PLM count derivatives and the protocol at r's paths,
// and fills r's participant lists.
func writeClinicalBIDS(r *ClinicalResult, cohort []synth.ClinicalParticipant) error {
	var pb bytes.Buffer
	pb.WriteString("participant_id\tage\tsex\tgroup\n")
	for _, p := range cohort {
		fmt.Fprintf(&pb, "%s\t%d\t%s\t%s\n", p.ID, p.Age, p.Sex, p.Truth.Group)
		r.IDs, r.Groups = append(r.IDs, p.ID), append(r.Groups, p.Truth.Group)
	}
	if err := atomicfile.WriteFile(r.Participants, pb.Bytes(), 0o644); err != nil {
		return err
	}
	side, err := json.MarshalIndent(map[string]any{
		"age":   map[string]string{"Description": "age at enrolment", "Units": "years"},
		"sex":   map[string]any{"Description": "sex", "Levels": map[string]string{"F": "female", "M": "male"}},
		"group": map[string]any{"Description": "study group", "Levels": map[string]string{"rls": "restless legs syndrome", "control": "control"}},
	}, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(r.ParticipantsJSON, append(side, '\n'), 0o644); err != nil {
		return err
	}
	if err := clinical.WriteBIDSPhenotype(filepath.Join(r.BIDS, "phenotype"), cohortDataset(cohort)); err != nil {
		return err
	}
	deriv := filepath.Join(r.BIDS, "derivatives", "glusleep-legs")
	for _, p := range cohort {
		dir := filepath.Join(deriv, p.ID)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for n, c := range p.PLMCounts {
			r.PLMCounts[p.ID] = append(r.PLMCounts[p.ID], c)
			b, err := json.Marshal(map[string]any{"plm_count": c, "synthetic": true})
			if err != nil {
				return err
			}
			if err := atomicfile.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_night-%d_legs.json", p.ID, n+1)), append(b, '\n'), 0o644); err != nil {
				return err
			}
		}
	}
	return atomicfile.WriteFile(r.Protocol, clinical.Allen2013Protocol, 0o644)
}

// cohortDataset turns a synthetic cohort into a clinical dataset, answers
// set in sorted column order.
func cohortDataset(cohort []synth.ClinicalParticipant) *clinical.Dataset {
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

// checkClinicalTruth compares scores and screening with the cohort's
// truth.
func checkClinicalTruth(cohort []synth.ClinicalParticipant, res *clinical.Results, sc *clinical.Screening) error {
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
