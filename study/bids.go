// Package study runs a glutamate–sleep study over a BIDS dataset: it finds
// each participant's MRS and PSG files, runs the participant level (one
// independent job per participant, locally in parallel or as a cluster job
// array) into BIDS derivatives, and the group level (cohort table and the
// analysis plan's statistics).
package study

import (
	"errors"
	"fmt"
	"glusleep/internal/tsv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Participant is one participant of a dataset: a row of participants.tsv
// and the files found for it.
type Participant struct {
	// Label is the participant label without the "sub-" prefix.
	Label string
	// Fields holds the participants.tsv columns for this participant
	// (values as written; "n/a" for missing).
	Fields map[string]string
	// MRS lists the single-voxel spectra found, one per session/acquisition.
	MRS []MRSFiles
	// Nights lists the sleep recordings found, one per session/run.
	Nights []PSGFiles
	// Source lists vendor files under sourcedata/sub-<label>/.
	Source []string
	// Segmentations are the T1-space tissue segmentations found under
	// derivatives/*/sub-<label>/[ses-*/]anat/ (FindSegmentations).
	Segmentations []SegmentationFiles
	// Problems says what is missing or inconsistent for this participant;
	// the participant can still be processed as far as its files allow.
	Problems []string
	// listed is set for a participant with a row in participants.tsv.
	listed bool
}

// MRSFiles are a spectrum and its water reference (empty when absent).
type MRSFiles struct {
	// Session is the ses- entity value ("" when the dataset has none).
	Session string
	// SVS is the water-suppressed spectrum (NIfTI-MRS or a vendor file).
	SVS string
	// Ref is the water reference, or "".
	Ref string
}

// PSGFiles are one night's recording and its sidecars.
type PSGFiles struct {
	// Session and Run are the ses- and run- entity values ("" if none).
	Session, Run string
	// EDF is the recording (EDF, EDF+ or BDF).
	EDF string
	// Events is the _events.tsv (scored stages and events), or "".
	Events string
	// Channels is the _channels.tsv, or "".
	Channels string
}

// Dataset is a BIDS dataset opened for a study.
type Dataset struct {
	// Root is the dataset folder.
	Root string
	// Participants are in the order of participants.tsv.
	Participants []*Participant
	// Columns are participants.tsv's column names in file order.
	Columns []string
	// leftOut are the labels of participants.tsv's participants the
	// group level leaves out (without).
	leftOut []string
}

// Participant returns the participant with the given label (with or
// without "sub-"), or nil.
func (d *Dataset) Participant(label string) *Participant {
	label = strings.TrimPrefix(label, "sub-")
	for _, p := range d.Participants {
		if p.Label == label {
			return p
		}
	}
	return nil
}

// ReadTSV reads a BIDS TSV file: a header line and rows of tab-separated
// values. Every row must have as many values as the header.
func ReadTSV(path string) (header []string, rows [][]string, err error) {
	t, err := tsv.ReadFile(path, tsv.Limits{})
	if err != nil {
		return nil, nil, err
	}
	return t.Header, t.Rows, nil
}

var (
	reSub = regexp.MustCompile(`^sub-([A-Za-z0-9]+)$`)
	reSes = regexp.MustCompile(`^ses-([A-Za-z0-9]+)$`)
	reEnt = regexp.MustCompile(`_(ses|run|acq|task)-([A-Za-z0-9]+)`)
)

func entity(name, key string) string {
	for _, m := range reEnt.FindAllStringSubmatch(name, -1) {
		if m[1] == key {
			return m[2]
		}
	}
	return ""
}

// Open reads participants.tsv and finds every participant's files. A
// participant folder without a participants.tsv row, or a row without a
// folder, is recorded as a problem of that participant, never an error of
// the dataset. A folder that is not a BIDS dataset (no sub-<label>
// folder, or neither dataset_description.json nor participants.tsv) is an
// error listing what is missing.
func Open(root string) (*Dataset, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("dataset %s: not a folder", root)
	}
	d := &Dataset{Root: root}
	byLabel := map[string]*Participant{}
	ptsv := filepath.Join(root, "participants.tsv")
	if _, err := os.Stat(ptsv); err == nil {
		hdr, rows, err := ReadTSV(ptsv)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", root, err)
		}
		if len(hdr) == 0 || hdr[0] != "participant_id" {
			return nil, fmt.Errorf("%s: first column is %q, want participant_id", ptsv, hdr[0])
		}
		d.Columns = hdr
		for i, r := range rows {
			m := reSub.FindStringSubmatch(r[0])
			if m == nil {
				return nil, fmt.Errorf("%s row %d: participant_id %q, want sub-<alphanumeric label>", ptsv, i+2, r[0])
			}
			if byLabel[m[1]] != nil {
				return nil, fmt.Errorf("%s row %d: participant %s listed twice", ptsv, i+2, r[0])
			}
			p := &Participant{Label: m[1], Fields: map[string]string{}, listed: true}
			for j, h := range hdr {
				p.Fields[h] = r[j]
			}
			byLabel[m[1]] = p
			d.Participants = append(d.Participants, p)
		}
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", root, err)
	}
	folders := 0
	for _, e := range ents {
		m := reSub.FindStringSubmatch(e.Name())
		if !e.IsDir() || m == nil {
			continue
		}
		folders++
		p := byLabel[m[1]]
		if p == nil {
			p = &Participant{Label: m[1], Fields: map[string]string{"participant_id": e.Name()}}
			p.Problems = append(p.Problems, "not listed in participants.tsv")
			byLabel[m[1]] = p
			d.Participants = append(d.Participants, p)
		}
		if err := scanParticipant(root, p); err != nil {
			p.Problems = append(p.Problems, rootRelative(root, err))
		}
	}
	if err := checkBIDS(root, d, folders); err != nil {
		return nil, err
	}
	for _, p := range d.Participants {
		if _, err := os.Stat(filepath.Join(root, "sub-"+p.Label)); err != nil {
			p.Problems = append(p.Problems, "no sub-"+p.Label+" folder")
		}
		src := filepath.Join(root, "sourcedata", "sub-"+p.Label)
		filepath.WalkDir(src, func(path string, de fs.DirEntry, err error) error {
			if err == nil && !de.IsDir() {
				p.Source = append(p.Source, path)
			}
			return nil
		})
		p.Segmentations = FindSegmentations(root, p.Label)
		if len(p.MRS) == 0 && len(p.Source) == 0 {
			p.Problems = append(p.Problems, "no MRS data (mrs/*_svs.nii.gz or sourcedata/)")
		}
		for _, m := range p.MRS {
			if m.Ref == "" {
				p.Problems = append(p.Problems, "no water reference for "+filepath.Base(m.SVS)+": no water-scaled concentrations")
			}
		}
		if len(p.Nights) == 0 {
			p.Problems = append(p.Problems, "no sleep recording (eeg/*_task-sleep*_eeg.edf)")
		}
		for _, n := range p.Nights {
			if n.Events == "" {
				p.Problems = append(p.Problems, "no _events.tsv (hypnogram) for "+filepath.Base(n.EDF))
			}
		}
	}
	return d, nil
}

// checkBIDS refuses a folder that is not a BIDS dataset: one without any
// sub-<label> folder, or with neither dataset_description.json nor
// participants.tsv. The error lists everything missing.
func checkBIDS(root string, d *Dataset, folders int) error {
	var missing []string
	_, err := os.Stat(filepath.Join(root, DatasetDescriptionFile))
	desc := err == nil
	if !desc {
		missing = append(missing, DatasetDescriptionFile)
	}
	if d.Columns == nil {
		missing = append(missing, "participants.tsv")
	}
	if folders == 0 {
		missing = append(missing, "sub-<label>/ folders")
	}
	if folders > 0 && (desc || d.Columns != nil) {
		return nil
	}
	return fmt.Errorf("dataset %s is not a BIDS dataset: no %s", root, strings.Join(missing, ", no "))
}

// scanParticipant finds the MRS and PSG files of one participant in
// sub-<label>/[ses-*/]{mrs,eeg}/.
func scanParticipant(root string, p *Participant) error {
	dir := filepath.Join(root, "sub-"+p.Label)
	var dirs []string
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	dirs = append(dirs, dir)
	for _, e := range ents {
		if e.IsDir() && reSes.MatchString(e.Name()) {
			dirs = append(dirs, filepath.Join(dir, e.Name()))
		}
	}
	for _, dd := range dirs {
		mrsDir := filepath.Join(dd, "mrs")
		files, _ := os.ReadDir(mrsDir)
		refs := map[string]string{}
		var svs []string
		for _, f := range files {
			n := f.Name()
			switch {
			case strings.HasSuffix(n, "_svs.nii.gz") || strings.HasSuffix(n, "_svs.nii"):
				svs = append(svs, filepath.Join(mrsDir, n))
			case strings.HasSuffix(n, "_mrsref.nii.gz") || strings.HasSuffix(n, "_mrsref.nii"):
				key := strings.TrimSuffix(strings.TrimSuffix(n, ".gz"), ".nii")
				key = strings.TrimSuffix(key, "_mrsref")
				refs[key] = filepath.Join(mrsDir, n)
			}
		}
		sort.Strings(svs)
		for _, s := range svs {
			key := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(s), ".gz"), ".nii")
			key = strings.TrimSuffix(key, "_svs")
			ref := refs[key]
			if ref == "" && len(refs) == 1 && len(svs) == 1 {
				for _, r := range refs {
					ref = r
				}
			}
			p.MRS = append(p.MRS, MRSFiles{Session: entity(filepath.Base(s), "ses"), SVS: s, Ref: ref})
		}
		eegDir := filepath.Join(dd, "eeg")
		files, _ = os.ReadDir(eegDir)
		for _, f := range files {
			n := f.Name()
			low := strings.ToLower(n)
			if !(strings.HasSuffix(low, "_eeg.edf") || strings.HasSuffix(low, "_eeg.bdf")) || entity(n, "task") != "sleep" {
				continue
			}
			stem := n[:len(n)-len("_eeg.edf")]
			night := PSGFiles{Session: entity(n, "ses"), Run: entity(n, "run"), EDF: filepath.Join(eegDir, n)}
			if _, err := os.Stat(filepath.Join(eegDir, stem+"_events.tsv")); err == nil {
				night.Events = filepath.Join(eegDir, stem+"_events.tsv")
			}
			if _, err := os.Stat(filepath.Join(eegDir, stem+"_channels.tsv")); err == nil {
				night.Channels = filepath.Join(eegDir, stem+"_channels.tsv")
			}
			p.Nights = append(p.Nights, night)
		}
	}
	return nil
}

// rootRelative returns err's text with the path of a file-system error
// written relative to the dataset root: problems reach the shareable
// report, where the machine's folder layout (often a user's name) must not.
func rootRelative(root string, err error) string {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	rel, rerr := filepath.Rel(root, pe.Path)
	if rerr != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(pe.Path)
	}
	return fmt.Sprintf("%s %s: %v", pe.Op, filepath.ToSlash(rel), pe.Err)
}
