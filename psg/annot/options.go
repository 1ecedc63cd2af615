package annot

import (
	"fmt"
	"strings"
	"time"
)

// Options adjust how scoring files are read.
type Options struct {
	// StageMap maps a lab's stage codes (compared ignoring case and
	// surrounding space) to stages before the built-in spellings are tried,
	// e.g. {"11": Wake, "12": N1}. ParseStageMap reads it from text.
	StageMap map[string]Stage
	// Origin is the recording start as a clock time: formats that give
	// clock times (Embla EventExport XML, Luna .annot hh:mm:ss) are made
	// relative to it. Zero: Embla times are relative to the earliest event;
	// Luna clock times are refused.
	Origin time.Time
	// Epoch is the epoch length in s for formats that do not state it
	// (0: 30 s).
	Epoch float64
	// AllowTruncated reads the complete records of an EDF+ annotation file
	// shorter than its header declares; without it such a file is refused.
	AllowTruncated bool
}

func (o Options) epoch() float64 {
	if o.Epoch > 0 {
		return o.Epoch
	}
	return EpochSeconds
}

// stage reads a stage label through the stage map, then ParseStage.
func (o Options) stage(label string) (Stage, error) {
	if st, ok := o.mapped(label); ok {
		return st, nil
	}
	if st, ok := stageConcept(label); ok {
		return st, nil
	}
	return ParseStage(label)
}

func (o Options) mapped(label string) (Stage, bool) {
	if o.StageMap == nil {
		return Unscored, false
	}
	st, ok := o.StageMap[strings.ToLower(strings.TrimSpace(label))]
	return st, ok
}

// isStage reports whether label names a stage: a stage-map key, a scoring
// export's stage concept, or a stage label as isStageLabel knows them.
func (o Options) isStage(label string) bool {
	if _, ok := o.mapped(label); ok {
		return true
	}
	if _, ok := stageConcept(label); ok {
		return true
	}
	return isStageLabel(label)
}

// ParseStageMap reads "CODE=STAGE,CODE=STAGE,…" (e.g. "11=W,12=N1,13=N2,
// 14=N3,15=R,0=?"); each STAGE is any spelling ParseStage reads.
func ParseStageMap(s string) (map[string]Stage, error) {
	m := map[string]Stage{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("stage map entry %q, want CODE=STAGE (e.g. 11=W)", part)
		}
		st, err := ParseStage(v)
		if err != nil {
			return nil, fmt.Errorf("stage map entry %q: %w", part, err)
		}
		m[strings.ToLower(strings.TrimSpace(k))] = st
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("stage map %q is empty, want CODE=STAGE,…", s)
	}
	return m, nil
}

// stageConcept recognises the stage names of scoring exports that are not
// plain stage codes: Embla types (SLEEP-S0 … SLEEP-REM, SLEEP-MT,
// SLEEP-UNSCORED), the NSRR translator's SRO and SDO concepts
// (SRO:Stage2Sleep, SRO:RapidEyeMovement, SDO:NonRapidEyeMovementSleep-N2,
// SDO:WakeState), Luna's classes (N1, NREM2, R, W, ?) and YASA's (WAKE,
// ART, UNS).
func stageConcept(label string) (Stage, bool) {
	l := strings.ToLower(strings.TrimSpace(label))
	for _, p := range []string{"sro:", "sdo:"} {
		l = strings.TrimPrefix(l, p)
	}
	switch l {
	case "sleep-s0", "wake", "wakestate", "w", "awake":
		return Wake, true
	case "sleep-s1", "stage1sleep", "nonrapideyemovementsleep-n1", "n1", "nrem1":
		return N1, true
	case "sleep-s2", "stage2sleep", "nonrapideyemovementsleep-n2", "n2", "nrem2":
		return N2, true
	case "sleep-s3", "sleep-s4", "stage3sleep", "stage4sleep", "nonrapideyemovementsleep-n3", "n3", "n4", "nrem3", "nrem4":
		return N3, true
	case "sleep-rem", "rapideyemovement", "rapideyemovementsleep", "r", "rem":
		return REM, true
	case "sleep-mt", "movementtime", "mt":
		return Movement, true
	case "sleep-unscored", "unscored", "unsure", "?", "art", "uns":
		return Unscored, true
	}
	return Unscored, false
}

// Dialects lists the scoring-file dialects Read recognises, as named in
// errors and in Hypnogram.Dialect.
var Dialects = []string{
	DialectEDF, DialectNSRR, DialectCompumedics, DialectEmbla, DialectLuna, DialectCSV, DialectBIDS, DialectStageList,
}

// Dialect names.
const (
	DialectEDF         = "EDF+/BDF+ annotations"
	DialectNSRR        = "NSRR XML (PSGAnnotation; also the NSRR translator's Embla and Compumedics output)"
	DialectCompumedics = "Compumedics XML (CMPStudyConfig)"
	DialectEmbla       = "Embla XML (EventExport)"
	DialectLuna        = "Luna .annot"
	DialectCSV         = "CSV/TSV hypnogram (onset, duration, stage)"
	DialectBIDS        = "BIDS _events.tsv (onset, duration, trial_type)"
	DialectStageList   = "stage list (one stage per line)"
)

// ErrDialect wraps the refusal of a file in no dialect glusleep reads.
var ErrDialect = fmt.Errorf("not a scoring file glusleep reads (it reads: %s)", strings.Join(Dialects, "; "))
