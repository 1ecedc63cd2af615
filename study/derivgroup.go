package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"glusleep/bids"
	"glusleep/clinical"
)

// cohortDict describes the derived columns of group/cohort.tsv (the
// participant summaries' measures, see Summary) and the screening columns.
var cohortDict = map[string]bids.Column{
	"participant_id":          {Description: "Participant identifier (sub-<label>)"},
	"glx_tcr":                 {Description: "Glx (glutamate + glutamine) relative to total creatine, from the participant's first spectrum; dimensionless"},
	"glx_crlb_percent":        {Description: "Cramér–Rao lower bound of the Glx amplitude, as a percentage of the amplitude", Units: "%"},
	"tnaa_tcr":                {Description: "Total NAA (NAA + NAAG) relative to total creatine; dimensionless"},
	"snr":                     {Description: "Spectral signal-to-noise ratio: NAA peak height over the noise standard deviation (mrs/fit QC)"},
	"fwhm_ppm":                {Description: "Linewidth of the spectrum (full width at half maximum)", Units: "ppm"},
	"nights":                  {Description: "Number of polysomnography nights with a hypnogram; the sleep measures are their means"},
	"tst_min":                 {Description: "Total sleep time, mean over nights", Units: "min"},
	"waso_min":                {Description: "Wake after sleep onset, mean over nights", Units: "min"},
	"sleep_efficiency_pct":    {Description: "Sleep efficiency (total sleep time over time in bed), mean over nights", Units: "%"},
	"sleep_onset_latency_min": {Description: "Sleep onset latency, mean over nights", Units: "min"},
	"plms_index":              {Description: "Periodic leg movements in sleep per hour of sleep, mean over nights", Units: "1/h"},
	"plm_per_night":           {Description: "Periodic leg movements per night, mean over nights"},
	"eligible":                {Description: "Whether the participant meets the eligibility protocol of their group", Levels: map[string]string{"true": "eligible", "false": "not eligible"}},
	"ineligible_reason":       {Description: "The protocol rules the participant fails (n/a when eligible)"},
}

// readDict reads a BIDS data dictionary (a TSV's JSON sidecar), keeping
// the entries that describe columns (objects with a Description). A
// missing file gives an empty dictionary.
func readDict(p string) (map[string]bids.Column, error) {
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return map[string]bids.Column{}, nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	out := map[string]bids.Column{}
	for k, v := range raw {
		var c bids.Column
		if json.Unmarshal(v, &c) == nil && c.Description != "" {
			out[k] = c
		}
	}
	return out, nil
}

// writeCohortSidecar writes group/cohort.json describing every column of
// the cohort table: participants.tsv's columns from the raw dataset's
// participants.json (a column it does not describe is said to come from
// participants.tsv), the derived measures, and the clinical scores from
// group/clinical/scores.json.
func writeCohortSidecar(d *Dataset, gdir string, header []string) error {
	dict, err := readDict(filepath.Join(d.Root, "participants.json"))
	if err != nil {
		return err
	}
	scores, err := readDict(filepath.Join(gdir, "clinical", "scores.json"))
	if err != nil {
		return err
	}
	for k, c := range scores {
		dict[k] = c
	}
	for k, c := range cohortDict {
		if _, ok := dict[k]; !ok || k != "participant_id" {
			dict[k] = c
		}
	}
	for _, h := range header {
		if _, ok := dict[h]; !ok {
			dict[h] = bids.Column{Description: "Column " + h + " of the raw dataset's participants.tsv (not described by its participants.json)"}
		}
	}
	return writeColumnSidecar(filepath.Join(gdir, "cohort.tsv"), dict)
}

// clinicalDicts describe the columns of the screening tables
// clinical.WriteScreening and WriteResults write (the instrument and score
// tables carry their own sidecars).
var clinicalDicts = map[string]map[string]bids.Column{
	"screening.tsv": {
		"participant_id": {Description: "Participant identifier (sub-<label>)"},
		"group":          {Description: "Group of the participant (participants.tsv), which selects the protocol's rules"},
		"eligible":       cohortDict["eligible"],
		"rule_id":        {Description: "Identifier of the protocol rule (n/a when the group has no rules)"},
		"kind":           {Description: "Whether the rule must hold or must not hold", Levels: map[string]string{"include": "inclusion rule: must hold", "exclude": "exclusion rule: must not hold"}},
		"result":         {Description: "Value of the rule's expression", Levels: map[string]string{"pass": "the expression is true", "fail": "the expression is false", "unknown": "a value the rule needs is missing", "error": "the rule could not be evaluated"}},
		"satisfied":      {Description: "Whether the participant satisfies the rule (an inclusion passing or an exclusion failing)", Levels: map[string]string{"true": "satisfied", "false": "not satisfied"}},
		"values":         {Description: "The values the rule read, as name=value separated by \"; \""},
		"rule":           {Description: "The rule's expression"},
		"message":        {Description: "Why the rule was not evaluated, or why the participant is not eligible (n/a when none)"},
	},
	"eligibility.tsv": {
		"participant_id": {Description: "Participant identifier (sub-<label>)"},
		"group":          {Description: "Group of the participant (participants.tsv)"},
		"eligible":       cohortDict["eligible"],
		"reason":         {Description: "The protocol rules the participant fails (n/a when eligible)"},
	},
	"issues.tsv": {
		"participant_id": {Description: "Participant identifier (sub-<label>)"},
		"instrument":     {Description: "Questionnaire (or \"derivatives\") the issue is about"},
		"column":         {Description: "Column or field the issue is about"},
		"value":          {Description: "The value as read"},
		"severity":       {Description: "How serious the issue is", Levels: map[string]string{string(clinical.SeverityError): "the value could not be used and is treated as missing", string(clinical.SeverityNote): "a published scoring rule changed or filled the value"}},
		"message":        {Description: "What the issue is"},
		"source":         {Description: "File the value came from"},
	},
}

// describeClinical writes the JSON sidecars of the screening tables in the
// group's clinical folder dir. The screening's full result, which
// clinical.WriteScreening writes as screening.json, moves to
// screening_results.json so that screening.json is screening.tsv's
// sidecar.
func describeClinical(dir string) error {
	if err := os.Rename(filepath.Join(dir, "screening.json"), filepath.Join(dir, "screening_results.json")); err != nil {
		return fmt.Errorf("clinical screening: %w", err)
	}
	for _, name := range []string{"screening.tsv", "eligibility.tsv", "issues.tsv"} {
		if err := writeColumnSidecar(filepath.Join(dir, name), clinicalDicts[name]); err != nil {
			return err
		}
	}
	return nil
}

// protocolLayout points the protocol's derivative fields, which name the
// flat layout's files (as `glusleep clinical --derivatives` reads them), at
// the BIDS-Derivatives layout when the participants' derivatives have it
// (none has the flat layout of glusleep 0.1, read for one more release),
// in the sessions' folders when the derivatives have sessions.
func protocolLayout(d *Dataset, out string, proto *clinical.Protocol) {
	bidsLayout, sessions := false, false
	for _, p := range d.Participants {
		switch ParticipantLayout(out, p.Label) {
		case FlatLayout:
			return
		case BIDSLayout:
			bidsLayout = true
			m, _ := filepath.Glob(filepath.Join(out, "sub-"+p.Label, "ses-*"))
			sessions = sessions || len(m) > 0
		}
	}
	if !bidsLayout {
		return
	}
	for i := range proto.Derivatives {
		proto.Derivatives[i].Path = bidsGlob(proto.Derivatives[i].Path, sessions)
	}
}
