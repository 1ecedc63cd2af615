// Package basis holds basis sets — one time-domain signal per metabolite on
// a common grid — and reads and writes them in the formats users have:
// LCModel .BASIS files, FSL-MRS JSON folders and NIfTI-MRS folders (one
// file per metabolite).
// FIDs are in the NIfTI-MRS convention (package mrs).
package basis

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/naming"
)

// ReadNIfTI reads a folder of NIfTI-MRS basis files, <name>.nii.gz or
// <name>.nii, each holding one FID (the metabolite's signal), in file-name
// order. All must share dwell time and spectrometer frequency.
func ReadNIfTI(dir string) (*Set, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.nii*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	s := &Set{Source: dir}
	for _, f := range files {
		l := strings.ToLower(f)
		if !strings.HasSuffix(l, ".nii") && !strings.HasSuffix(l, ".nii.gz") {
			continue
		}
		d, err := nifti.ReadData(f)
		if err != nil {
			return nil, err
		}
		if len(d.FIDs) != 1 {
			return nil, fmt.Errorf("%s: %d FIDs (dimensions %v), want one per basis file", f, len(d.FIDs), d.Dims)
		}
		if s.Params.Dwell == 0 {
			s.Params = d.Params
		} else if d.Dwell != s.Params.Dwell || d.SpectrometerFrequency != s.Params.SpectrometerFrequency {
			return nil, fmt.Errorf("%s: dwell %g s and frequency %g MHz differ from the folder's first file (%g s, %g MHz)", f, d.Dwell, d.SpectrometerFrequency, s.Params.Dwell, s.Params.SpectrometerFrequency)
		}
		name := filepath.Base(f)
		name = name[:strings.Index(strings.ToLower(name), ".nii")]
		s.Names = append(s.Names, name)
		s.FIDs = append(s.FIDs, d.FIDs[0])
	}
	if len(s.Names) == 0 {
		return nil, fmt.Errorf("%s: no .nii or .nii.gz basis files", dir)
	}
	return s, s.Validate()
}

// WriteNIfTI writes the set as a folder of NIfTI-MRS files, one
// <name>.nii.gz per metabolite (written atomically).
func (s *Set) WriteNIfTI(dir string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, name := range s.Names {
		if name == "" || strings.ContainsAny(name, `/\`) {
			return fmt.Errorf("basis: metabolite name %q cannot be a file name", name)
		}
		d := &mrs.Data{Params: s.Params, FIDs: [][]complex128{s.FIDs[i]}}
		if d.Nucleus == "" {
			d.Nucleus = "1H"
		}
		if err := nifti.WriteData(filepath.Join(dir, name+".nii.gz"), d); err != nil {
			return err
		}
	}
	return nil
}

// Set is a basis set: one FID per metabolite on a common grid, with the
// acquisition parameters it was made for.
type Set struct {
	// Names and FIDs are the metabolites and their signals (equal lengths).
	Names []string
	FIDs  [][]complex128
	// Params gives the grid (Dwell, s), the spectrometer frequency (MHz),
	// the echo time (s) and the sequence when known. The number of points
	// is the FIDs' length (Points).
	Params mrs.Params
	// Source says where the set came from.
	Source string
	// ProtonScale is the signal at t = 0 of one proton at the
	// concentration a basis spectrum stands for (1 for sets glusleep
	// simulates; 0 when unknown: see MeasureProtonScale), and
	// ProtonScaleFrom says how it was found. Water scaling needs it.
	ProtonScale     float64
	ProtonScaleFrom string
}

// ErrMismatch reports a basis set made for another acquisition grid than
// the data's.
var ErrMismatch = errors.New("basis does not match the data")

// Points returns the number of points of the set's FIDs (0 when empty).
func (s *Set) Points() int {
	if len(s.FIDs) == 0 {
		return 0
	}
	return len(s.FIDs[0])
}

// Tolerances of Match: relative differences of dwell time and spectrometer
// frequency below these are the same acquisition (a basis simulated at the
// nearest kHz differs from the scanner's frequency by at most 4e-6 at
// 1.5 T; the 3 T scanners of different vendors, 123.2 and 127.7 MHz, differ
// by 3.6 %).
const (
	DwellTolerance     = 1e-5
	FrequencyTolerance = 1e-3
)

// Match checks that the set fits data of n points acquired with p: the
// same dwell time and spectrometer frequency (within DwellTolerance and
// FrequencyTolerance) and at least n points (extra basis points are the
// same signals sampled longer, and are dropped). It returns an error
// wrapping ErrMismatch that names both values.
func (s *Set) Match(p mrs.Params, n int) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrMismatch, err)
	}
	b := s.Params
	if !(p.Dwell > 0) || math.Abs(p.Dwell-b.Dwell) > DwellTolerance*b.Dwell {
		return fmt.Errorf("%w: basis %s has dwell %g s, data %g s (a basis is resampled only when the data's dwell is a whole multiple of its own: simulate one or choose a basis made for this acquisition)", ErrMismatch, s.Source, b.Dwell, p.Dwell)
	}
	if !(p.SpectrometerFrequency > 0) || math.Abs(p.SpectrometerFrequency-b.SpectrometerFrequency) > FrequencyTolerance*b.SpectrometerFrequency {
		return fmt.Errorf("%w: basis %s was made at %.6g MHz, data acquired at %.6g MHz", ErrMismatch, s.Source, b.SpectrometerFrequency, p.SpectrometerFrequency)
	}
	if s.Points() < n {
		return fmt.Errorf("%w: basis %s has %d points, data %d", ErrMismatch, s.Source, s.Points(), n)
	}
	return nil
}

// Validate checks the set is usable.
func (s *Set) Validate() error {
	if len(s.Names) == 0 || len(s.Names) != len(s.FIDs) {
		return fmt.Errorf("basis: %d names for %d signals", len(s.Names), len(s.FIDs))
	}
	for i, f := range s.FIDs {
		if len(f) != len(s.FIDs[0]) || len(f) == 0 {
			return fmt.Errorf("basis: %s has %d points, %s has %d", s.Names[i], len(f), s.Names[0], len(s.FIDs[0]))
		}
	}
	if !(s.Params.Dwell > 0) || !(s.Params.SpectrometerFrequency > 0) {
		return fmt.Errorf("basis: dwell %g s, frequency %g MHz: want both > 0", s.Params.Dwell, s.Params.SpectrometerFrequency)
	}
	return nil
}

// Read reads a basis set: an LCModel .BASIS file, a folder of FSL-MRS
// JSON files, or a folder of NIfTI-MRS files (one per metabolite).
func Read(path string) (*Set, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		if n, _ := filepath.Glob(filepath.Join(path, "*.nii*")); len(n) > 0 {
			return ReadNIfTI(path)
		}
		return ReadFSL(path)
	}
	b, err := lcmodel.ReadBasisFile(path)
	if err != nil {
		return nil, err
	}
	s := &Set{Params: b.Params(), Source: path}
	for _, e := range b.Entries {
		s.Names = append(s.Names, e.Name)
		s.FIDs = append(s.FIDs, e.FID)
	}
	return s, s.Validate()
}

// fslFile is one FSL-MRS basis JSON file.
type fslFile struct {
	Basis struct {
		Re     []float64 `json:"basis_re"`
		Im     []float64 `json:"basis_im"`
		Dwell  float64   `json:"basis_dwell"`
		Centre float64   `json:"basis_centre"`
		Width  *float64  `json:"basis_width"`
		Name   string    `json:"basis_name"`
	} `json:"basis"`
	Meta map[string]any `json:"meta,omitempty"`
}

// ReadFSL reads an FSL-MRS basis folder: every *.json file with a "basis"
// object (basis_re, basis_im, basis_dwell in s, basis_centre in MHz,
// basis_name), in file-name order.
func ReadFSL(dir string) (*Set, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .json basis files", dir)
	}
	s := &Set{Source: dir}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var ff fslFile
		if err := json.Unmarshal(b, &ff); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		bs := ff.Basis
		if len(bs.Re) == 0 || len(bs.Re) != len(bs.Im) {
			return nil, fmt.Errorf("%s: basis_re has %d values, basis_im %d: want equal, non-zero lengths", f, len(bs.Re), len(bs.Im))
		}
		if !(bs.Dwell > 0) || !(bs.Centre > 0) {
			return nil, fmt.Errorf("%s: basis_dwell %g s, basis_centre %g MHz: want both > 0", f, bs.Dwell, bs.Centre)
		}
		if s.Params.Dwell == 0 {
			s.Params = mrs.Params{Dwell: bs.Dwell, SpectrometerFrequency: bs.Centre, Nucleus: "1H"}
		} else if bs.Dwell != s.Params.Dwell || bs.Centre != s.Params.SpectrometerFrequency {
			return nil, fmt.Errorf("%s: dwell %g s and centre %g MHz differ from the folder's first file (%g s, %g MHz)", f, bs.Dwell, bs.Centre, s.Params.Dwell, s.Params.SpectrometerFrequency)
		}
		name := bs.Name
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(f), ".json")
		}
		fid := make([]complex128, len(bs.Re))
		for i := range fid {
			fid[i] = complex(bs.Re[i], bs.Im[i])
		}
		s.Names = append(s.Names, name)
		s.FIDs = append(s.FIDs, fid)
		if te, ok := ff.Meta["TE"].(float64); ok && s.Params.EchoTime == 0 {
			s.Params.EchoTime = te / 1000
		}
	}
	return s, s.Validate()
}

// WriteFSL writes the set as an FSL-MRS basis folder, one <name>.json per
// metabolite (written atomically), with the sequence in "meta" (TE in ms),
// under FSL-MRS's names (naming.NamesFSL: PCh, Scyllo), so FSL-MRS's
// metabolite groups and sums (GPC+PCh) find them.
func (s *Set) WriteFSL(dir string) error { return s.WriteFSLNames(dir, naming.NamesFSL) }

// WriteFSLNames is WriteFSL with the metabolite names written in
// convention c (naming.Name).
func (s *Set) WriteFSLNames(dir string, c naming.NameConvention) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, name := range s.Names {
		name = naming.Name(name, c)
		var ff fslFile
		ff.Basis.Name = name
		ff.Basis.Dwell = s.Params.Dwell
		ff.Basis.Centre = s.Params.SpectrometerFrequency
		ff.Basis.Re = make([]float64, len(s.FIDs[i]))
		ff.Basis.Im = make([]float64, len(s.FIDs[i]))
		for k, v := range s.FIDs[i] {
			ff.Basis.Re[k], ff.Basis.Im[k] = real(v), imag(v)
		}
		ff.Meta = map[string]any{"TE": s.Params.EchoTime * 1000, "Sequence": s.Params.Sequence, "Generator": "glusleep", "Convention": "NIfTI-MRS"}
		b, err := json.Marshal(ff)
		if err != nil {
			return err
		}
		file := strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r == 0 {
				return '_'
			}
			return r
		}, name) + ".json"
		if err := atomicfile.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
