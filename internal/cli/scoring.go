package cli

import (
	"flag"

	"glusleep/psg/annot"
)

// ScoringFlags are the flags of every command that reads sleep scoring
// files: --stage-map (a lab's stage codes) and --allow-truncated.
type ScoringFlags struct {
	stageMap       string
	allowTruncated bool
}

// AddScoring defines the scoring flags.
func AddScoring(fs *flag.FlagSet) *ScoringFlags {
	sf := &ScoringFlags{}
	fs.StringVar(&sf.stageMap, "stage-map", "", "lab stage codes as CODE=STAGE,… (e.g. 11=W,12=N1,13=N2,14=N3,15=R), read before the built-in spellings")
	fs.BoolVar(&sf.allowTruncated, "allow-truncated", false, "read the complete records of an EDF+ scoring file shorter than its header declares")
	return sf
}

// Options returns the scoring-file reading options the flags give; a
// stage map that does not parse is an ErrUsage error naming --stage-map.
func (sf *ScoringFlags) Options() (annot.Options, error) {
	opt := annot.Options{AllowTruncated: sf.allowTruncated}
	if sf.stageMap == "" {
		return opt, nil
	}
	m, err := annot.ParseStageMap(sf.stageMap)
	if err != nil {
		return opt, Usagef("--stage-map: %v", err)
	}
	opt.StageMap = m
	return opt, nil
}
