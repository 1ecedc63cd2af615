package tissue

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Type names a segmentation's file convention.
type Type string

// Segmentation file conventions.
const (
	// TypeFAST is FSL FAST's partial-volume maps <base>_pve_0/1/2
	// (CSF, GM, WM for a T1 image).
	TypeFAST Type = "fast"
	// TypeSPM is SPM's tissue maps c1/c2/c3<name> (GM, WM, CSF).
	TypeSPM Type = "spm"
	// TypeProbseg is BIDS-Derivatives' <prefix>_label-GM/WM/CSF_probseg
	// maps (fMRIPrep, sMRIPrep).
	TypeProbseg Type = "probseg"
	// TypeLabels is a labelled volume (FreeSurfer aseg, aparc+aseg; BIDS
	// _dseg) with a label → tissue lookup.
	TypeLabels Type = "labels"
)

// ParseType returns the Type named s ("fast", "spm", "probseg",
// "labels"; "" means detect from the file names).
func ParseType(s string) (Type, error) {
	switch t := Type(strings.ToLower(strings.TrimSpace(s))); t {
	case "", TypeFAST, TypeSPM, TypeProbseg, TypeLabels:
		return t, nil
	}
	return "", fmt.Errorf("tissue: segmentation type %q, want fast, spm, probseg or labels", s)
}

// Files names the files of one T1-space segmentation.
type Files struct {
	// Type is the convention.
	Type Type
	// GM, WM and CSF are the partial-volume maps (FAST, SPM, probseg).
	GM, WM, CSF string
	// Labels is the labelled volume and Lookup its label table (TSV, see
	// ReadLookup; empty: FreeSurferClasses) (labels).
	Labels, Lookup string
	// T1 is the anatomical image the segmentation was made from, when one
	// was found beside it (drawn under the voxel in the figure); "" if not.
	T1 string
}

// Paths returns every file the segmentation reads (maps or labels and
// lookup, then the T1 if any), for provenance.
func (f Files) Paths() []string {
	var out []string
	for _, p := range []string{f.GM, f.WM, f.CSF, f.Labels, f.Lookup, f.T1} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Source returns the convention's name as written in outputs ("FSL FAST",
// "SPM", "BIDS probseg", "labels").
func (f Files) Source() string {
	switch f.Type {
	case TypeFAST:
		return "FSL FAST"
	case TypeSPM:
		return "SPM"
	case TypeProbseg:
		return "BIDS probseg"
	}
	return "labels"
}

// Read reads the segmentation's maps (or labels and lookup).
func (f Files) Read() (*Segmentation, error) {
	var s *Segmentation
	var err error
	switch f.Type {
	case TypeFAST, TypeSPM, TypeProbseg:
		var v [3]*Volume
		if v, err = readThree(f.GM, f.WM, f.CSF); err != nil {
			return nil, err
		}
		s, err = NewSegmentation(v[0], v[1], v[2], f.Source())
	case TypeLabels:
		var classes map[int]Class
		if f.Lookup != "" {
			if classes, err = ReadLookup(f.Lookup); err != nil {
				return nil, err
			}
		}
		s, err = ReadLabels(f.Labels, classes)
	default:
		return nil, fmt.Errorf("tissue: segmentation type %q unknown", f.Type)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

var (
	reFAST    = regexp.MustCompile(`^(.*)_pve_([012])\.nii(\.gz)?$`)
	reSPM     = regexp.MustCompile(`^c([123])(.+\.nii(\.gz)?)$`)
	reProbseg = regexp.MustCompile(`^(.*)_label-(GM|WM|CSF)_probseg\.nii(\.gz)?$`)
	reLabels  = regexp.MustCompile(`(?i)(aseg|_dseg|labels?)[^/]*\.nii(\.gz)?$`)
	reNIfTI   = regexp.MustCompile(`(?i)\.nii(\.gz)?$`)
)

// Detect finds the segmentation that path names, of type typ ("": tell by
// the file names):
//
//   - a FAST map (<base>_pve_N.nii[.gz]) or, with typ fast, the base
//     (<base> or <base>.nii.gz): the three <base>_pve_0/1/2 beside it;
//   - an SPM map (c1<name>.nii) or, with typ spm, the image <name>.nii:
//     c1/c2/c3<name>;
//   - a BIDS probseg map: the three <prefix>_label-GM/WM/CSF_probseg;
//   - a labelled volume (with typ labels, or named *aseg*, *_dseg*,
//     *label*), its lookup the <stem>.tsv beside it if present;
//   - a folder holding exactly one complete set of any of these.
//
// The T1 is looked for beside the maps (FAST: <base>.nii[.gz] or
// <base>_restore; SPM: <name> or m<name>; probseg:
// <prefix>[_desc-preproc]_T1w).
func Detect(path string, typ Type) (Files, error) {
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		return detectDir(path, typ)
	}
	dir, name := filepath.Dir(path), filepath.Base(path)
	try := func(t Type) (Files, bool, error) {
		var f Files
		var ok bool
		switch t {
		case TypeFAST:
			if m := reFAST.FindStringSubmatch(name); m != nil {
				f, ok = fastSet(dir, m[1], m[3]), true
			} else if typ == TypeFAST {
				base := strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".nii")
				f, ok = fastSet(dir, base, ".gz"), true
				if !exists(f.GM) {
					f = fastSet(dir, base, "")
				}
			}
		case TypeSPM:
			if m := reSPM.FindStringSubmatch(name); m != nil {
				f, ok = spmSet(dir, m[2]), true
			} else if typ == TypeSPM {
				f, ok = spmSet(dir, name), true
			}
		case TypeProbseg:
			if m := reProbseg.FindStringSubmatch(name); m != nil {
				f, ok = probsegSet(dir, m[1], m[3]), true
			}
		case TypeLabels:
			if typ == TypeLabels || reLabels.MatchString(name) {
				f, ok = labelSet(dir, name), true
			}
		}
		if !ok {
			return f, false, nil
		}
		for _, p := range []string{f.GM, f.WM, f.CSF, f.Labels} {
			if p != "" && !exists(p) {
				return f, true, fmt.Errorf("tissue: segmentation %s (%s): %s is missing", path, f.Source(), p)
			}
		}
		return f, true, nil
	}
	if err != nil && typ != TypeFAST { // FAST may be named by its base
		return Files{}, fmt.Errorf("tissue: segmentation: %w", err)
	}
	types := []Type{TypeFAST, TypeSPM, TypeProbseg, TypeLabels}
	if typ != "" {
		types = []Type{typ}
	}
	for _, t := range types {
		if f, ok, err := try(t); ok {
			return f, err
		}
	}
	if typ != "" {
		return Files{}, fmt.Errorf("tissue: segmentation %s: not named as a %s map", path, typ)
	}
	return Files{}, fmt.Errorf("tissue: segmentation %s: cannot tell its type from the name (want <base>_pve_0/1/2 (FSL FAST), c1/c2/c3<name> (SPM), *_label-GM/WM/CSF_probseg (BIDS) or a labelled volume named *aseg*/*_dseg*); give the type (fast, spm, probseg, labels)", path)
}

// detectDir finds the one complete segmentation in dir.
func detectDir(dir string, typ Type) (Files, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return Files{}, fmt.Errorf("tissue: segmentation: %w", err)
	}
	var found []Files
	seen := map[string]bool{}
	for _, e := range ents {
		if e.IsDir() || !reNIfTI.MatchString(e.Name()) {
			continue
		}
		var f Files
		switch n := e.Name(); {
		case reFAST.MatchString(n) && (typ == "" || typ == TypeFAST):
			m := reFAST.FindStringSubmatch(n)
			f = fastSet(dir, m[1], m[3])
		case reSPM.MatchString(n) && (typ == "" || typ == TypeSPM):
			f = spmSet(dir, reSPM.FindStringSubmatch(n)[2])
		case reProbseg.MatchString(n) && (typ == "" || typ == TypeProbseg):
			m := reProbseg.FindStringSubmatch(n)
			f = probsegSet(dir, m[1], m[3])
		case reLabels.MatchString(n) && (typ == "" || typ == TypeLabels):
			f = labelSet(dir, n)
		default:
			continue
		}
		key := strings.Join(f.Paths(), "|")
		if seen[key] || !f.complete() {
			continue
		}
		seen[key] = true
		found = append(found, f)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Files{}, fmt.Errorf("tissue: segmentation folder %s holds no complete segmentation (FSL FAST <base>_pve_0/1/2, SPM c1/c2/c3<name>, BIDS *_label-GM/WM/CSF_probseg or a labelled *aseg*/*_dseg* volume)", dir)
	}
	var names []string
	for _, f := range found {
		names = append(names, filepath.Base(f.Paths()[0]))
	}
	sort.Strings(names)
	return Files{}, fmt.Errorf("tissue: segmentation folder %s holds %d segmentations (%s): name one file", dir, len(found), strings.Join(names, ", "))
}

// complete reports whether every map (or the labelled volume) exists.
func (f Files) complete() bool {
	for _, p := range []string{f.GM, f.WM, f.CSF, f.Labels} {
		if p != "" && !exists(p) {
			return false
		}
	}
	return true
}

func exists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// firstExisting returns the first of paths that exists, or "".
func firstExisting(paths ...string) string {
	for _, p := range paths {
		if exists(p) {
			return p
		}
	}
	return ""
}

func fastSet(dir, base, gz string) Files {
	p := func(n int) string { return filepath.Join(dir, fmt.Sprintf("%s_pve_%d.nii%s", base, n, gz)) }
	b := filepath.Join(dir, base)
	return Files{Type: TypeFAST, CSF: p(0), GM: p(1), WM: p(2),
		T1: firstExisting(b+".nii.gz", b+".nii", b+"_restore.nii.gz", b+"_restore.nii")}
}

func spmSet(dir, name string) Files {
	return Files{Type: TypeSPM, GM: filepath.Join(dir, "c1"+name), WM: filepath.Join(dir, "c2"+name), CSF: filepath.Join(dir, "c3"+name),
		T1: firstExisting(filepath.Join(dir, name), filepath.Join(dir, "m"+name))}
}

func probsegSet(dir, prefix, gz string) Files {
	p := func(l string) string { return filepath.Join(dir, prefix+"_label-"+l+"_probseg.nii"+gz) }
	b := filepath.Join(dir, prefix)
	return Files{Type: TypeProbseg, GM: p("GM"), WM: p("WM"), CSF: p("CSF"),
		T1: firstExisting(b+"_desc-preproc_T1w.nii.gz", b+"_desc-preproc_T1w.nii", b+"_T1w.nii.gz", b+"_T1w.nii")}
}

func labelSet(dir, name string) Files {
	stem := reNIfTI.ReplaceAllString(name, "")
	return Files{Type: TypeLabels, Labels: filepath.Join(dir, name), Lookup: firstExisting(filepath.Join(dir, stem+".tsv"))}
}

// ReadLookup reads a label table: a TSV whose header has an "index"
// column (the label values) and one of "tissue", "abbreviation" or "name"
// (the first present is used), as BIDS _dseg.tsv files are. A label is GM,
// WM or CSF when that column says so ("GM", "grey matter", "gray matter",
// "cortex"; "WM", "white matter"; "CSF", "cerebrospinal fluid", case
// ignored); any other value is Other. At least one label must be GM, WM
// or CSF.
func ReadLookup(path string) (map[int]Class, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("tissue: lookup: %w", err)
	}
	if st.Size() > 1<<22 {
		return nil, fmt.Errorf("tissue: lookup %s: %d bytes, over the 4 MiB budget for a label table", path, st.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tissue: lookup: %w", err)
	}
	lines := strings.Split(strings.ReplaceAll(strings.TrimPrefix(string(b), "\ufeff"), "\r", ""), "\n")
	hdr := strings.Split(lines[0], "\t")
	col := map[string]int{}
	for i, h := range hdr {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	ix, ok := col["index"]
	if !ok {
		return nil, fmt.Errorf("tissue: lookup %s: header %q has no index column", path, lines[0])
	}
	cl := -1
	for _, c := range []string{"tissue", "abbreviation", "name"} {
		if i, ok := col[c]; ok {
			cl = i
			break
		}
	}
	if cl < 0 {
		return nil, fmt.Errorf("tissue: lookup %s: header %q has none of the columns tissue, abbreviation, name", path, lines[0])
	}
	m := map[int]Class{}
	known := 0
	for n, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != len(hdr) {
			return nil, fmt.Errorf("tissue: lookup %s line %d: %d values, header has %d columns", path, n+2, len(f), len(hdr))
		}
		v, err := strconv.Atoi(strings.TrimSpace(f[ix]))
		if err != nil {
			return nil, fmt.Errorf("tissue: lookup %s line %d: index %q, want a whole number", path, n+2, f[ix])
		}
		c := classOf(f[cl])
		m[v] = c
		if c != Other {
			known++
		}
	}
	if known == 0 {
		return nil, fmt.Errorf("tissue: lookup %s: no label is GM, WM or CSF (column %q)", path, hdr[cl])
	}
	return m, nil
}

// classOf maps a tissue name to a Class.
func classOf(s string) Class {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "gm", "grey matter", "gray matter", "cortex", "cortical grey matter", "cortical gray matter":
		return GM
	case "wm", "white matter":
		return WM
	case "csf", "cerebrospinal fluid":
		return CSF
	}
	return Other
}

// Contrast returns a T1-like image made from the maps (WM 1, GM 0.6,
// CSF 0.2, weighted by partial volume), the figure's background when no T1
// is at hand.
func (s *Segmentation) Contrast() *Volume {
	v := &Volume{Dims: s.GM.Dims, Affine: s.GM.Affine, Data: make([]float32, len(s.GM.Data))}
	for i := range v.Data {
		v.Data[i] = 0.2*s.CSF.Data[i] + 0.6*s.GM.Data[i] + s.WM.Data[i]
	}
	return v
}
