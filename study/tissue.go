package study

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"glusleep/mrs/analysis"
	"glusleep/mrs/tissue"
)

// SegmentationFiles is a T1-space tissue segmentation found for a
// participant among the dataset's derivatives.
type SegmentationFiles struct {
	// Session is the ses- label of its anat folder ("" for
	// sub-<label>/anat/).
	Session string
	// Files are the maps (or labels and lookup) and the T1 beside them.
	Files tissue.Files
	// Name is the first map's path relative to the dataset root
	// (slash-separated), as outputs name it.
	Name string
}

var (
	reProbsegName = regexp.MustCompile(`^(.*)_label-(GM|WM|CSF)_probseg\.nii(\.gz)?$`)
	reFASTName    = regexp.MustCompile(`_pve_[012]\.nii(\.gz)?$`)
	reSPMName     = regexp.MustCompile(`^c[123].+\.nii(\.gz)?$`)
	reDsegName    = regexp.MustCompile(`_dseg\.nii(\.gz)?$`)
	reSpace       = regexp.MustCompile(`_space-([A-Za-z0-9]+)`)
)

// FindSegmentations returns the T1-space segmentations of participant
// label under root/derivatives/<pipeline>/sub-<label>/[ses-<s>/]anat/, in
// order of pipeline, session and name: BIDS-Derivatives
// *_label-GM/WM/CSF_probseg maps in the T1's own space (no space- entity,
// or space-T1w / space-orig: template-space maps cannot be placed in the
// scanner's coordinates), FSL FAST *_pve_0/1/2, SPM c1/c2/c3*, and
// *_dseg labelled volumes that have a _dseg.tsv lookup beside them.
func FindSegmentations(root, label string) []SegmentationFiles {
	pipelines, _ := os.ReadDir(filepath.Join(root, "derivatives"))
	var out []SegmentationFiles
	seen := map[string]bool{}
	for _, pe := range pipelines {
		if !pe.IsDir() {
			continue
		}
		sub := filepath.Join(root, "derivatives", pe.Name(), "sub-"+label)
		anat := []struct{ dir, ses string }{{filepath.Join(sub, "anat"), ""}}
		sess, _ := os.ReadDir(sub)
		for _, s := range sess {
			if m := reSes.FindStringSubmatch(s.Name()); s.IsDir() && m != nil {
				anat = append(anat, struct{ dir, ses string }{filepath.Join(sub, s.Name(), "anat"), m[1]})
			}
		}
		for _, a := range anat {
			files, _ := os.ReadDir(a.dir)
			for _, f := range files {
				n := f.Name()
				if f.IsDir() || !candidate(n) {
					continue
				}
				fs, err := tissue.Detect(filepath.Join(a.dir, n), "")
				if err != nil || (fs.Type == tissue.TypeLabels && fs.Lookup == "") {
					continue
				}
				key := strings.Join(fs.Paths(), "|")
				if seen[key] {
					continue
				}
				seen[key] = true
				rel, err := filepath.Rel(root, fs.Paths()[0])
				if err != nil {
					rel = fs.Paths()[0]
				}
				out = append(out, SegmentationFiles{Session: a.ses, Files: fs, Name: filepath.ToSlash(rel)})
			}
		}
	}
	return out
}

// candidate reports whether a file name in an anat folder may be a
// segmentation map in the T1's own space.
func candidate(n string) bool {
	if m := reSpace.FindStringSubmatch(n); m != nil && m[1] != "T1w" && m[1] != "orig" {
		return false
	}
	return reProbsegName.MatchString(n) || reFASTName.MatchString(n) || reSPMName.MatchString(n) || reDsegName.MatchString(n)
}

// tissueFor returns where the tissue fractions of a spectrum of p in
// session come from, under the settings: fixed fractions; the settings'
// path template ({subject}, {session}); else a segmentation found under
// the derivatives for that session (or for the participant as a whole);
// else the fixed defaults. Warnings say what was not found or chosen
// among several.
func tissueFor(s Settings, p *Participant, session string) (analysis.TissueSource, []string, error) {
	if s.TissueFractions != nil {
		return analysis.TissueSource{Fixed: true, Fractions: *s.TissueFractions}, nil, nil
	}
	typ, err := tissue.ParseType(s.SegmentationType)
	if err != nil {
		return analysis.TissueSource{}, nil, fmt.Errorf("settings: %w", err)
	}
	if s.Segmentation != "" {
		path := strings.NewReplacer("{subject}", p.Label, "{session}", session).Replace(s.Segmentation)
		fs, err := tissue.Detect(path, typ)
		if err != nil {
			return analysis.TissueSource{}, []string{fmt.Sprintf("segmentation template %s: %v: fixed default tissue fractions used", s.Segmentation, err)}, nil
		}
		// The template's path is the user's: written as its base name.
		return analysis.TissueSource{Segmentation: fs, Name: analysis.DisplayPath(path)}, nil, nil
	}
	var same, whole []SegmentationFiles
	for _, sf := range p.Segmentations {
		if typ != "" && sf.Files.Type != typ {
			continue
		}
		switch sf.Session {
		case session:
			same = append(same, sf)
		case "":
			whole = append(whole, sf)
		}
	}
	found := append(same, whole...)
	if len(found) == 0 {
		return analysis.TissueSource{}, nil, nil
	}
	var warn []string
	if n := len(same); n > 1 || (n == 0 && len(whole) > 1) {
		if n == 0 {
			n = len(whole)
		}
		var names []string
		for _, sf := range found[:n] {
			names = append(names, sf.Name)
		}
		sort.Strings(names)
		warn = append(warn, fmt.Sprintf("%d segmentations found (%s): used %s; choose one with the segmentation template", n, strings.Join(names, ", "), found[0].Name))
	}
	return analysis.TissueSource{Segmentation: found[0].Files, Name: found[0].Name}, warn, nil
}
