package clinical

import _ "embed"

// Allen2013Protocol is the example eligibility protocol of the study this
// project reproduces (protocols/allen2013.json): RLS by IRLSSG 2014
// criteria, symptoms 6–7 nights a week for at least 6 months, at least 20
// periodic leg movements a night; controls without RLS.
//
//go:embed protocols/allen2013.json
var Allen2013Protocol []byte

// ScreenParticipants scores the phenotype answers (may be nil), adds the
// scores and raw answers to the participants' fields (participants.tsv
// values take precedence over raw answers, scores over both), and applies
// the protocol with derivatives from derivDir.
func ScreenParticipants(p *Protocol, subjects []Subject, pheno *Dataset, derivDir string) (*Screening, *Results, error) {
	var res *Results
	var extra []Issue
	if pheno != nil {
		known := map[string]bool{}
		for _, s := range subjects {
			known[s.ID] = true
		}
		for _, id := range pheno.IDs() {
			if !known[id] {
				extra = append(extra, Issue{Participant: id, Column: "participant_id", Value: id, Severity: SeverityError,
					Message: "participant has phenotype answers but is not in participants.tsv: not screened"})
			}
		}
		res = ScoreDataset(pheno)
		AddFields(subjects, pheno.RawFields(), false)
		AddFields(subjects, res.Fields(), true)
	}
	sc, err := p.Screen(subjects, derivDir)
	if sc != nil {
		sc.Issues = append(extra, sc.Issues...)
	}
	return sc, res, err
}
