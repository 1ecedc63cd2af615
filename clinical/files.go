package clinical

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// PhenotypeOptions say how ReadPhenotype reads its inputs.
type PhenotypeOptions struct {
	// REDCapDictionary is the REDCap data dictionary CSV that .csv exports
	// need.
	REDCapDictionary string
	// REDCapLabels says the exports hold labels, not raw codes.
	REDCapLabels bool
	// REDCapEvent keeps only this redcap_event_name (empty: all).
	REDCapEvent string
	// Columns renames the forms' variables to this package's columns.
	Columns ColumnMap
}

// ErrNoDictionary is returned for a REDCap export read without its data
// dictionary.
var ErrNoDictionary = errors.New("clinical: a REDCap export needs its data dictionary")

// IsREDCapExport reports whether path is read as a REDCap export (a .csv
// file) rather than a BIDS phenotype folder or TSV.
func IsREDCapExport(path string) bool { return strings.EqualFold(filepath.Ext(path), ".csv") }

// ReadPhenotype reads BIDS phenotype folders or TSV files and REDCap CSV
// exports (with opt.REDCapDictionary) into one dataset.
func ReadPhenotype(paths []string, opt PhenotypeOptions) (*Dataset, error) {
	d := NewDataset()
	var dict *REDCapDictionary
	for _, p := range paths {
		if !IsREDCapExport(p) {
			o, err := ReadBIDSPhenotypeMapped(p, opt.Columns)
			if err != nil {
				return nil, err
			}
			d.Merge(o)
			continue
		}
		if opt.REDCapDictionary == "" {
			return nil, fmt.Errorf("%s: %w", p, ErrNoDictionary)
		}
		if dict == nil {
			f, err := os.Open(opt.REDCapDictionary)
			if err != nil {
				return nil, err
			}
			dict, err = ReadREDCapDictionary(f, opt.REDCapDictionary)
			f.Close()
			if err != nil {
				return nil, err
			}
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		o, err := ReadREDCap(f, dict, REDCapOptions{Labels: opt.REDCapLabels, Event: opt.REDCapEvent, Columns: opt.Columns}, p)
		f.Close()
		if err != nil {
			return nil, err
		}
		d.Merge(o)
	}
	return d, nil
}

// ScreenFiles screens the participants of a BIDS participants.tsv with
// the protocol file: their questionnaires are read from phenotype (empty:
// the phenotype/ folder beside participants.tsv, if there is one; columns
// renamed by cols) and the protocol's derivative fields from derivatives.
// The Results are the scores (nil without a phenotype folder).
func ScreenFiles(protocol, participants, phenotype, derivatives string, cols ColumnMap) (*Screening, *Results, error) {
	p, err := LoadProtocol(protocol)
	if err != nil {
		return nil, nil, err
	}
	subjects, err := ReadParticipants(participants)
	if err != nil {
		return nil, nil, err
	}
	if phenotype == "" {
		cand := filepath.Join(filepath.Dir(participants), "phenotype")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			phenotype = cand
		}
	}
	var d *Dataset
	if phenotype != "" {
		if d, err = ReadPhenotype([]string{phenotype}, PhenotypeOptions{Columns: cols}); err != nil {
			return nil, nil, err
		}
	}
	return ScreenParticipants(p, subjects, d, derivatives)
}

// CountErrors returns the number of issues of SeverityError.
func CountErrors(issues []Issue) int {
	n := 0
	for _, i := range issues {
		if i.Severity == SeverityError {
			n++
		}
	}
	return n
}
