package clinical

import (
	"fmt"
	"glusleep/internal/tsv"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Medication is one medication record of a participant.
type Medication struct {
	// Drug is the generic name, lower case (e.g. "pramipexole").
	Drug string `json:"drug"`
	// DailyDose is the total daily dose in DoseUnit.
	DailyDose float64 `json:"daily_dose"`
	// DoseUnit is "mg", "ug" or "mg/24h" (patch).
	DoseUnit string `json:"dose_unit"`
	// Start is the date treatment began.
	Start time.Time `json:"start_date"`
}

// dopaminergic drugs used for RLS (dopamine agonists and levodopa).
var dopaminergic = map[string]bool{
	"pramipexole": true, "ropinirole": true, "rotigotine": true, "levodopa": true,
	"carbidopa/levodopa": true, "levodopa/carbidopa": true, "levodopa/benserazide": true, "benserazide/levodopa": true,
	"cabergoline": true, "pergolide": true, "bromocriptine": true, "piribedil": true, "apomorphine": true,
}

// otherRLSDrugs are known non-dopaminergic drugs (no note is issued for them).
var otherRLSDrugs = map[string]bool{
	"gabapentin": true, "gabapentin enacarbil": true, "pregabalin": true, "oxycodone": true, "oxycodone/naloxone": true,
	"methadone": true, "tramadol": true, "codeine": true, "clonazepam": true, "ferrous sulfate": true,
	"ferric carboxymaltose": true, "iron": true, "none": true,
}

// IsDopaminergic reports whether a drug (generic name) is a dopamine
// agonist or levodopa preparation.
func IsDopaminergic(drug string) bool { return dopaminergic[strings.ToLower(strings.TrimSpace(drug))] }

var doseUnits = map[string]bool{"mg": true, "ug": true, "mg/24h": true}

// ReadMedications reads a medication table (TSV with columns participant_id,
// drug, daily_dose, dose_unit, start_date as YYYY-MM-DD; internal/tsv's
// rules) into d. Rows with bad values become issues and are skipped; a row
// whose four medication values are all n/a (or empty) lists a participant
// without medication records; a table that does not parse (a row with the
// wrong number of fields) is an error naming the line and column.
func ReadMedications(d *Dataset, r io.Reader, name string) error {
	t, err := tsv.Read(r, name, tsv.Limits{})
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, h := range t.Header {
		col[h] = i
	}
	for _, need := range []string{"participant_id", "drug", "daily_dose", "dose_unit", "start_date"} {
		if _, ok := col[need]; !ok {
			return t.Errorf(-1, -1, "header lacks column %q", need)
		}
	}
	for i, f := range t.Rows {
		get := func(c string) string { return f[col[c]] }
		src := fmt.Sprintf("%s:%d", name, t.Line(i))
		id := get("participant_id")
		if id == "" || id == Missing {
			d.Issues = append(d.Issues, Issue{Participant: Missing, Column: "participant_id", Value: id, Severity: SeverityError, Source: src, Message: "row without participant_id skipped"})
			continue
		}
		bad := func(c, msg string) {
			d.Issues = append(d.Issues, Issue{Participant: id, Instrument: "medication", Column: c, Value: get(c), Severity: SeverityError, Source: t.Pos(i, col[c]), Message: msg + "; medication row skipped"})
		}
		if allMissing(get("drug"), get("daily_dose"), get("dose_unit"), get("start_date")) {
			// A participant listed without medication records (BIDS
			// phenotype tables list every participant).
			continue
		}
		m := Medication{Drug: strings.ToLower(get("drug")), DoseUnit: get("dose_unit")}
		if m.Drug == "" || m.Drug == Missing {
			bad("drug", "drug missing")
			continue
		}
		dose, err := strconv.ParseFloat(get("daily_dose"), 64)
		if err != nil || !(dose >= 0) || math.IsInf(dose, 0) {
			bad("daily_dose", "daily dose is not a non-negative number")
			continue
		}
		m.DailyDose = dose
		if !doseUnits[m.DoseUnit] {
			bad("dose_unit", "dose unit must be mg, ug or mg/24h")
			continue
		}
		start, err := time.Parse("2006-01-02", get("start_date"))
		if err != nil {
			bad("start_date", "start date is not YYYY-MM-DD")
			continue
		}
		m.Start = start
		if !dopaminergic[m.Drug] && !otherRLSDrugs[m.Drug] {
			d.Issues = append(d.Issues, Issue{Participant: id, Instrument: "medication", Column: "drug", Value: m.Drug, Severity: SeverityNote, Source: src,
				Message: "drug not in the list of dopaminergic or other RLS drugs; treated as not dopaminergic"})
		}
		rec := d.record(id)
		rec.Medications = append(rec.Medications, m)
	}
	d.MedicationTable = true
	return nil
}

// AugmentationAnswers are the Max Planck Institute (MPI) criteria answers:
// tri-state 1/0/-1 and the advance of symptom onset in hours (NaN missing).
type AugmentationAnswers struct {
	// A1: increase in severity on 5 of 7 days in the previous week; A2: not
	// accounted for by other factors; A3: prior positive response.
	A1, A2, A3 int
	// B: persisting paradoxical response to dose changes.
	B int
	// OnsetAdvanceHours: how many hours earlier symptoms begin than before
	// treatment.
	OnsetAdvanceHours float64
	// C2 holds the accompanying features for a 2–4 h advance: shorter
	// latency at rest, spread to other body parts, greater intensity (or
	// more PLM), shorter relief from treatment.
	C2 [4]int
}

// MPIResult is the outcome of the MPI criteria: each 1/0/-1.
type MPIResult struct {
	A, B, C, Augmentation int
}

// ScoreMPI applies the MPI augmentation criteria (García-Borreguero et al.,
// Sleep Med 2007): augmentation requires all of A (A1, A2, A3) and B or C;
// C is an onset advance of at least 4 h, or of 2–4 h with at least one of
// the four accompanying features.
func ScoreMPI(a AugmentationAnswers) MPIResult {
	var r MPIResult
	r.A = and3(a.A1, a.A2, a.A3)
	r.B = a.B
	switch {
	case math.IsNaN(a.OnsetAdvanceHours):
		r.C = -1
	case a.OnsetAdvanceHours >= 4:
		r.C = 1
	case a.OnsetAdvanceHours >= 2:
		r.C = or3(a.C2[:]...)
	default:
		r.C = 0
	}
	r.Augmentation = and3(r.A, or3(r.B, r.C))
	return r
}

// or3 is three-valued disjunction: any 1 gives 1, else any -1 gives -1.
func or3(xs ...int) int {
	r := 0
	for _, x := range xs {
		if x == 1 {
			return 1
		}
		if x < 0 {
			r = -1
		}
	}
	return r
}

// Augmentation screens participants on dopaminergic treatment (from their
// medication records) with the MPI criteria: aug_a1, aug_a2, aug_a3, aug_b
// (0/1), aug_onset_advance_h (hours), aug_c2a … aug_c2d (0/1).
var Augmentation = &Instrument{
	Name:        "augmentation",
	Title:       "Augmentation screening, Max Planck Institute criteria",
	Reference:   "García-Borreguero D et al. Diagnostic standards for dopaminergic augmentation of restless legs syndrome: report from a WASM-IRLSSG consensus conference at the Max Planck Institute. Sleep Med 2007;8:520-530",
	MissingRule: "applies only to participants with a dopaminergic medication record; three-valued: n/a when a missing answer could change the result",
	Items: []ItemSpec{
		{Column: "aug_a1", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI A1: severity increase on 5 of 7 days in the previous week"},
		{Column: "aug_a2", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI A2: increase not accounted for by other factors"},
		{Column: "aug_a3", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI A3: prior positive response to treatment"},
		{Column: "aug_b", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI B: persisting paradoxical response to dose changes", Optional: true},
		{Column: "aug_onset_advance_h", Kind: ItemNumber, Min: 0, Max: 24, Units: "hours", Description: "MPI C: hours by which symptom onset is earlier than before treatment", Optional: true},
		{Column: "aug_c2a", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI C2a: shorter latency to symptoms at rest", Optional: true},
		{Column: "aug_c2b", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI C2b: spread to other body parts", Optional: true},
		{Column: "aug_c2c", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI C2c: greater intensity or more periodic limb movements", Optional: true},
		{Column: "aug_c2d", Kind: ItemCode, Min: 0, Max: 1, Description: "MPI C2d: shorter duration of relief from treatment", Optional: true},
	},
	Outputs: []Column{
		{Name: "dopaminergic", Description: "on dopaminergic treatment according to the medication records"},
		{Name: "dopaminergic_drugs", Description: "dopaminergic drugs with daily dose and start date (drug dose unit since YYYY-MM-DD, separated by ;)"},
		{Name: "aug_criterion_a", Description: "MPI criterion A (all basic features) met"},
		{Name: "aug_criterion_b", Description: "MPI criterion B (paradoxical response) met"},
		{Name: "aug_criterion_c", Description: "MPI criterion C (earlier onset) met"},
		{Name: "augmentation_mpi", Description: "augmentation by the MPI criteria: A and (B or C)"},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		var drugs []string
		for _, m := range rd.r.Medications {
			if dopaminergic[m.Drug] {
				drugs = append(drugs, fmt.Sprintf("%s %s %s since %s", m.Drug, strconv.FormatFloat(m.DailyDose, 'g', -1, 64), m.DoseUnit, m.Start.Format("2006-01-02")))
			}
		}
		sort.Strings(drugs)
		if len(drugs) == 0 {
			if in.answeredItems(rd.r) {
				rd.add("aug_a1", rawOrNA(rd.r, "aug_a1"), SeverityNote, "augmentation answers present but no dopaminergic medication record: not screened")
			}
			return []Value{Bool(false), NA, NA, NA, NA, NA}, "not on dopaminergic treatment: augmentation screening does not apply"
		}
		it := in.Items
		var a AugmentationAnswers
		a.A1, a.A2, a.A3 = rd.code(it[0]), rd.code(it[1]), rd.code(it[2])
		a.B = rd.code(it[3])
		a.OnsetAdvanceHours = rd.number(it[4], false)
		for i := 0; i < 4; i++ {
			a.C2[i] = rd.code(it[5+i])
		}
		r := ScoreMPI(a)
		tri := func(x int) Value {
			if x < 0 {
				return NA
			}
			return Bool(x == 1)
		}
		reason := ""
		if r.Augmentation < 0 {
			reason = "augmentation n/a: a missing MPI answer could change the result"
		}
		return []Value{Bool(true), Str(strings.Join(drugs, "; ")), tri(r.A), tri(r.B), tri(r.C), tri(r.Augmentation)}, reason
	},
}

func (in *Instrument) answeredItems(r *Record) bool {
	for _, it := range in.Items {
		if _, ok := r.Get(it.Column); ok {
			return true
		}
	}
	return false
}

// allMissing reports whether every value is empty or n/a.
func allMissing(vals ...string) bool {
	for _, v := range vals {
		if v != "" && v != Missing {
			return false
		}
	}
	return true
}
