package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"glusleep/bids"
	"glusleep/internal/tsv"
	"glusleep/mrs/analysis"
	"glusleep/psg/night"
)

// The participant level writes BIDS-Derivatives: each output of a source
// file is named after the source's entities, a desc- entity naming the
// output and a BIDS suffix, in the source's datatype folder:
//
//	sub-01/mrs/sub-01_svs.nii.gz  → sub-01/mrs/sub-01_desc-fit_svs.tsv, …
//	sub-01/eeg/sub-01_task-sleep_run-1_events.tsv
//	                              → sub-01/eeg/sub-01_task-sleep_run-1_desc-sleepstats_eeg.json, …
//
// Vendor spectra under sourcedata/ (no BIDS name) take their file stem as
// the acq- label: sourcedata/sub-01/P1830.7 → sub-01/mrs/sub-01_acq-P1830_desc-fit_svs.tsv.
// The participant's summary (sub-<label>_summary.json) and provenance.json
// stay in sub-<label>/, listed in the derivatives' .bidsignore with group/.

// derivKind is the desc- label and the suffix ("" for the source's) of one
// output kind.
type derivKind struct{ desc, suffix string }

// derivKinds maps each output kind (the flat layout's ending after
// "<stem>_", as mrs/analysis and psg/night write them) to its
// BIDS-Derivatives desc- label and suffix. A kind not listed takes its
// letters and digits as desc- and the source's suffix.
var derivKinds = map[string]derivKind{
	// mrs/analysis.Result.Write
	"fit.tsv":         {"fit", ""},
	"qc.json":         {"qc", ""},
	"fit.svg":         {"fit", ""},
	"preproc_qc.json": {"preprocqc", ""},
	"preproc.svg":     {"preproc", ""},
	"voxel.svg":       {"voxel", ""},
	// psg/night.Night.Write
	"sleep.json":       {"sleepstats", "eeg"},
	"hypnogram.svg":    {"hypnogram", "eeg"},
	"legmovements.tsv": {"legmovements", "events"},
	"legs.json":        {"legs", "eeg"},
	"legs.svg":         {"legs", "eeg"},
	"legs_emg.svg":     {"legsemg", "eeg"},
}

// datatypeOf maps a BIDS source suffix to its datatype folder.
var datatypeOf = map[string]string{"svs": "mrs", "mrsi": "mrs", "unloc": "mrs", "mrsref": "mrs",
	"events": "eeg", "eeg": "eeg", "channels": "eeg"}

var (
	reEntity   = regexp.MustCompile(`^[a-z]+-[0-9A-Za-z]+$`)
	reNotAlnum = regexp.MustCompile(`[^0-9A-Za-z]+`)
	reSesDir   = regexp.MustCompile(`^ses-[0-9A-Za-z]+$`)
)

// source is what a derivative's name keeps of its source file.
type source struct {
	dir      string // [ses-<label>/]<datatype>, in the participant's folder, slash-separated
	entities string // "sub-01_task-sleep_run-1"
	suffix   string // "svs", "eeg", ...
}

// sourceOf reads the entities of src, a file of participant label and
// datatype "mrs" or "eeg". A BIDS-named source keeps its entities (any
// desc- dropped); another file (a vendor spectrum) is named
// sub-<label>[_ses-<label>]_acq-<its stem's letters and digits> (MRS) or
// …_task-<stem> (EEG).
func sourceOf(label, src, datatype string) source {
	name := filepath.Base(src)
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	pieces := strings.Split(name, "_")
	suffix := pieces[len(pieces)-1]
	if len(pieces) >= 2 && pieces[0] == "sub-"+label && datatypeOf[suffix] == datatype {
		var ents []string
		ses := ""
		ok := true
		for _, p := range pieces[:len(pieces)-1] {
			if !reEntity.MatchString(p) {
				ok = false
				break
			}
			if strings.HasPrefix(p, "ses-") {
				ses = p
			}
			if !strings.HasPrefix(p, "desc-") {
				ents = append(ents, p)
			}
		}
		if ok {
			if datatype == "eeg" {
				suffix = "eeg"
			}
			return source{dir: path.Join(ses, datatype), entities: strings.Join(ents, "_"), suffix: suffix}
		}
	}
	// Not a BIDS name: a session from the folders, the stem as a label.
	ses := ""
	for _, d := range strings.Split(filepath.ToSlash(filepath.Dir(src)), "/") {
		if reSesDir.MatchString(d) {
			ses = d
		}
	}
	stem := strings.TrimPrefix(analysis.Stem(src), "sub-"+label+"_")
	if datatype == "eeg" {
		stem = strings.TrimPrefix(night.Stem(src), "sub-"+label+"_")
	}
	lab := reNotAlnum.ReplaceAllString(stem, "")
	if lab == "" {
		lab = "unnamed"
	}
	ents := []string{"sub-" + label}
	if ses != "" {
		ents = append(ents, ses)
	}
	s := source{dir: path.Join(ses, datatype), suffix: "svs"}
	if datatype == "eeg" {
		s.suffix = "eeg"
		s.entities = strings.Join(append(ents, "task-"+lab), "_")
	} else {
		s.entities = strings.Join(append(ents, "acq-"+lab), "_")
	}
	return s
}

// stem is the flat-layout stem the writers are given in the datatype
// folder before their outputs are renamed; it titles their figures as the
// flat layout did (an MRS source's entities and suffix, a night's
// entities).
func (s source) stem() string {
	if s.suffix == "eeg" {
		return s.entities
	}
	return s.entities + "_" + s.suffix
}

// name returns the BIDS-Derivatives path of output kind ("fit.tsv") in
// the participant's folder.
func (s source) name(kind string) string {
	ext := ""
	if i := strings.IndexByte(kind, '.'); i >= 0 {
		ext = kind[i:]
	}
	k, ok := derivKinds[kind]
	if !ok {
		k = derivKind{desc: reNotAlnum.ReplaceAllString(strings.TrimSuffix(kind, ext), "")}
		if k.desc == "" {
			k.desc = "unnamed"
		}
	}
	if k.suffix == "" {
		k.suffix = s.suffix
	}
	return path.Join(s.dir, s.entities+"_desc-"+k.desc+"_"+k.suffix+ext)
}

// DerivativePath returns the path, relative to the study's output folder,
// of output kind (the ending the flat layout gives after "<stem>_", e.g.
// "fit.tsv", "qc.json", "sleep.json", "legmovements.tsv") made from source
// file src of participant label, of datatype "mrs" or "eeg":
// DerivativePath("01", ".../sub-01_svs.nii.gz", "mrs", "fit.tsv") is
// "sub-01/mrs/sub-01_desc-fit_svs.tsv".
func DerivativePath(label, src, datatype, kind string) string {
	return filepath.FromSlash(path.Join("sub-"+label, sourceOf(label, src, datatype).name(kind)))
}

// placeOutputs renames the flat-named outputs (<stem>_<kind>) the writers
// made in out/<src.dir> (out: the participant's folder) to their BIDS-Derivatives names and writes the JSON
// sidecar describing the columns of each TSV.
func placeOutputs(out string, src source, written []string) error {
	dir := filepath.Join(out, filepath.FromSlash(src.dir))
	prefix := src.stem() + "_"
	for _, p := range written {
		base := filepath.Base(p)
		if filepath.Dir(p) != dir || !strings.HasPrefix(base, prefix) {
			return fmt.Errorf("output %s is not %s<kind> in %s", p, prefix, dir)
		}
		kind := strings.TrimPrefix(base, prefix)
		dst := filepath.Join(out, filepath.FromSlash(src.name(kind)))
		if err := os.Rename(p, dst); err != nil {
			return fmt.Errorf("derivatives: %w", err)
		}
		if strings.HasSuffix(kind, ".tsv") {
			cols, ok := columnDicts[kind]
			if !ok {
				return fmt.Errorf("%s: no column descriptions for %q outputs", dst, kind)
			}
			if err := writeColumnSidecar(dst, cols); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeMRSOutputs writes an MRS result of source file in (participant
// label) as BIDS-Derivatives in the participant's folder out.
func writeMRSOutputs(r *analysis.Result, label, in, out string) error {
	src := sourceOf(label, in, "mrs")
	dir := filepath.Join(out, filepath.FromSlash(src.dir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	paths, err := r.Write(dir, src.stem())
	if err != nil {
		return err
	}
	return placeOutputs(out, src, paths)
}

// writeNightOutputs writes a night analysed from events file events
// (participant label) as BIDS-Derivatives in the participant's folder
// out.
func writeNightOutputs(nt *night.Night, label, events, out string) error {
	src := sourceOf(label, events, "eeg")
	dir := filepath.Join(out, filepath.FromSlash(src.dir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	nt.Stem = src.stem()
	if err := nt.Write(dir); err != nil {
		return err
	}
	var written []string
	for _, p := range nt.Outputs(dir) {
		if _, err := os.Stat(p); err == nil {
			written = append(written, p)
		}
	}
	return placeOutputs(out, src, written)
}

// columnDicts are the column descriptions of the participant level's TSV
// outputs, by output kind. A TSV column missing here is an error when the
// sidecar is written, so a new column cannot go undescribed.
var columnDicts = map[string]map[string]bids.Column{
	"fit.tsv": analysis.FitColumns,
	"legmovements.tsv": {
		"onset":      {Description: "Onset of the leg movement from the start of the recording", Units: "s"},
		"duration":   {Description: "Duration of the leg movement", Units: "s"},
		"trial_type": {Description: "Event type", Levels: map[string]string{"leg_movement": "a leg movement of at least the minimum duration of the scoring rules"}},
		"side":       {Description: "Leg(s) of the movement", Levels: map[string]string{"left": "left tibialis anterior EMG", "right": "right tibialis anterior EMG", "bilateral": "both legs, combined by the scoring rules"}},
		"kind": {Description: "Class of the movement under the scoring standard (WASM 2016 or AASM)", Levels: map[string]string{
			"LM": "leg movement that is not a candidate", "CLM": "candidate leg movement (WASM CLM; AASM LM meeting the duration rules) not in a periodic series",
			"PLM": "candidate leg movement in a periodic series"}},
		"series":          {Description: "Number of the periodic leg movement series, from 1 (n/a when not in a series)"},
		"stage":           {Description: "Sleep stage at the movement's onset", Levels: map[string]string{"W": "wake", "N1": "NREM sleep stage N1", "N2": "NREM sleep stage N2", "N3": "NREM sleep stage N3", "R": "REM sleep", "MT": "movement time (Rechtschaffen and Kales)", "?": "epoch not scored"}},
		"excluded_reason": {Description: "Why the movement is not counted (e.g. near a respiratory event, outside the scored time, too long); n/a when it is counted"},
		"arousal":         {Description: "Whether the movement is associated with a scored arousal", Levels: map[string]string{"true": "associated with an arousal", "false": "not associated with an arousal"}},
		"peak_uv":         {Description: "Largest rise of the EMG envelope above the resting level during the movement", Units: "µV"},
	},
}

// writeColumnSidecar writes the JSON sidecar (same name, .json) of the TSV
// file at p, describing each of its columns from dict; a column dict does
// not describe is an error naming it.
func writeColumnSidecar(p string, dict map[string]bids.Column) error {
	t, err := tsv.ReadFile(p, tsv.Limits{})
	if err != nil {
		return err
	}
	cols := map[string]bids.Column{}
	for _, h := range t.Header {
		c, ok := dict[h]
		if !ok {
			return fmt.Errorf("%s: column %q has no description", p, h)
		}
		cols[h] = c
	}
	return bids.WriteColumns(strings.TrimSuffix(p, ".tsv")+".json", cols)
}

// derivativesIgnore lists what .bidsignore of the derivatives holds: the
// group level and glusleep's participant-level summary and provenance,
// which have no BIDS-Derivatives rule.
var derivativesIgnore = []string{"group/", "sub-*_summary.json", ProvenanceFile}

// DescribeDerivatives writes the BIDS-Derivatives dataset files of out
// for a study of d: dataset_description.json (NewDatasetDescription with
// d as the source dataset, replacing one that glusleep wrote or none) and
// .bidsignore.
func DescribeDerivatives(out string, d *Dataset, version string) error {
	p := filepath.Join(out, DatasetDescriptionFile)
	if b, err := os.ReadFile(p); err == nil {
		var old bids.Description
		if json.Unmarshal(b, &old) != nil || len(old.GeneratedBy) == 0 || old.GeneratedBy[0].Name != "glusleep" {
			return nil // someone else's description: kept
		}
	}
	desc := NewDatasetDescription(version)
	desc.SourceDatasets = sourceDatasets(out, d.Root)
	if err := bids.WriteDescription(out, desc); err != nil {
		return err
	}
	return bids.WriteBIDSIgnore(out, derivativesIgnore)
}

// sourceDatasets names the raw dataset at root: its DOI when its
// dataset_description.json gives one, and its path relative to out as a
// URL.
func sourceDatasets(out, root string) []bids.SourceDataset {
	var sd bids.SourceDataset
	if b, err := os.ReadFile(filepath.Join(root, DatasetDescriptionFile)); err == nil {
		var raw struct {
			DatasetDOI string `json:"DatasetDOI"`
		}
		if json.Unmarshal(b, &raw) == nil && raw.DatasetDOI != "" {
			sd.DOI = raw.DatasetDOI
		}
	}
	// A relative URL only when the derivatives sit inside the raw dataset
	// (derivatives/glusleep: "../..") or beside it (bids/ and
	// derivatives/: "../bids"); any longer path would record the machine's
	// folder layout (a user name, a site), so only the DOI, if any, is
	// given.
	ao, err1 := filepath.Abs(out)
	ar, err2 := filepath.Abs(root)
	if rel, err := filepath.Rel(ao, ar); err1 == nil && err2 == nil && err == nil && onlyParents(rel) {
		sd.URL = filepath.ToSlash(rel)
	}
	return []bids.SourceDataset{sd}
}

// onlyParents reports whether rel is "..", "../..", ... (or "."),
// optionally followed by one folder name (a sibling of an ancestor).
func onlyParents(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if n := len(parts); n > 1 && parts[n-1] != ".." {
		parts = parts[:n-1]
	}
	for _, c := range parts {
		if c != ".." && c != "." {
			return false
		}
	}
	return true
}

// Layout is how a participant's derivatives are laid out.
type Layout int

const (
	// NoOutputs: the participant has no derivatives.
	NoOutputs Layout = iota
	// BIDSLayout: sub-<label>/[ses-<label>/]mrs|eeg/ with desc- names.
	BIDSLayout
	// FlatLayout: glusleep ≤ 0.1's sub-<label>/<stem>_<kind> files, read
	// for one more release.
	FlatLayout
)

// ParticipantLayout tells how the derivatives of participant label in out
// are laid out.
func ParticipantLayout(out, label string) Layout {
	dir := filepath.Join(out, "sub-"+label)
	for _, pat := range []string{"*/*_desc-*", "ses-*/*/*_desc-*"} {
		if m, _ := filepath.Glob(filepath.Join(dir, pat)); len(m) > 0 {
			return BIDSLayout
		}
	}
	for kind := range derivKinds {
		if m, _ := filepath.Glob(filepath.Join(dir, "*_"+kind)); len(m) > 0 {
			return FlatLayout
		}
	}
	return NoOutputs
}

// participantOutputs returns the participant's output files of kind
// ("fit.svg", "legs.json", ...), sorted, in either layout.
func participantOutputs(out, label, kind string) []string {
	k, ok := derivKinds[kind]
	if !ok {
		return nil
	}
	ext := kind[strings.IndexByte(kind, '.'):]
	suffix := k.suffix
	if suffix == "" {
		suffix = "*"
	}
	dir := filepath.Join(out, "sub-"+label)
	var m []string
	for _, pat := range []string{"*/*_desc-" + k.desc + "_" + suffix + ext, "ses-*/*/*_desc-" + k.desc + "_" + suffix + ext} {
		g, _ := filepath.Glob(filepath.Join(dir, pat))
		m = append(m, g...)
	}
	if len(m) == 0 {
		m, _ = filepath.Glob(filepath.Join(dir, "*_"+kind))
	}
	sort.Strings(m)
	return m
}

// flatLayoutNote returns the note printed when some participants'
// derivatives have the flat layout (empty when none has).
func flatLayoutNote(d *Dataset, out string) string {
	var flat []string
	for _, p := range d.Participants {
		if ParticipantLayout(out, p.Label) == FlatLayout {
			flat = append(flat, "sub-"+p.Label)
		}
	}
	if len(flat) == 0 {
		return ""
	}
	return fmt.Sprintf("Note: %s ha%s derivatives in the flat layout of glusleep 0.1 (sub-<label>/<stem>_<kind>); they are read for this release only. "+
		"For BIDS-Derivatives (sub-<label>/mrs/, eeg/), remove their provenance.json and rerun the participant level.",
		strings.Join(flat, ", "), map[bool]string{true: "s", false: "ve"}[len(flat) == 1])
}

// bidsGlob rewrites a derivative path pattern of the flat layout
// ("{participant}/{participant}_*_legs.json", as clinical protocols give
// them) to the BIDS-Derivatives layout
// ("{participant}/eeg/{participant}_*_desc-legs_eeg.json"); other
// patterns are returned unchanged. With sessions the files are looked
// for in every session's folder ("{participant}/ses-*/eeg/…").
func bidsGlob(pat string, sessions bool) string {
	dir, base := path.Split(pat)
	kinds := make([]string, 0, len(derivKinds))
	for kind := range derivKinds {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		if !strings.HasSuffix(base, "_"+kind) {
			continue
		}
		k := derivKinds[kind]
		datatype, suffix := "mrs", k.suffix
		if suffix == "" {
			suffix = "svs"
		}
		if datatypeOf[suffix] == "eeg" {
			datatype = "eeg"
		}
		ext := kind[strings.IndexByte(kind, '.'):]
		if sessions {
			datatype = "ses-*/" + datatype
		}
		return dir + datatype + "/" + strings.TrimSuffix(base, "_"+kind) + "_desc-" + k.desc + "_" + suffix + ext
	}
	return pat
}

// siblingOutput returns the path of the output of kind to (e.g.
// "fit.tsv") made from the same source as path, an output of kind from
// (e.g. "qc.json"), in either layout: BIDS-Derivatives
// (<entities>_desc-qc_svs.json → <entities>_desc-fit_svs.tsv) or flat
// (<stem>_qc.json → <stem>_fit.tsv).
func siblingOutput(path, from, to string) string {
	kf, okf := derivKinds[from]
	kt, okt := derivKinds[to]
	dir, base := filepath.Split(path)
	if okf && okt {
		if i := strings.LastIndex(base, "_desc-"+kf.desc+"_"); i >= 0 {
			rest := base[i+len("_desc-"+kf.desc+"_"):]
			suffix := strings.TrimSuffix(rest, from[strings.IndexByte(from, '.'):])
			if kt.suffix != "" {
				suffix = kt.suffix
			}
			return dir + base[:i] + "_desc-" + kt.desc + "_" + suffix + to[strings.IndexByte(to, '.'):]
		}
	}
	return dir + strings.TrimSuffix(base, from) + to
}
