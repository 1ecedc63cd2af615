package basis

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"glusleep/mrs"
	"glusleep/mrs/sim"
)

// Simulate returns the set of the named metabolites (every one sim knows
// when names is empty; macromolecule and lipid names are accepted, see
// sim.Basis) simulated through q at mhz MHz, n points sampled every dwell
// seconds. Its proton scale is the signal of one proton through q
// (sim.ProtonSignal: 1 for PRESS and semi-LASER, ½ for STEAM), so water
// scaling of STEAM data is not off by the stimulated echo's factor 2.
func Simulate(q sim.Sequence, mhz, dwell float64, n int, names []string) (*Set, error) {
	names, fids, err := sim.Basis(q, mhz, dwell, n, names)
	if err != nil {
		return nil, err
	}
	scale, err := sim.ProtonSignal(q, mhz, dwell)
	if err != nil {
		return nil, err
	}
	s := &Set{Names: names, FIDs: fids,
		Params:      mrs.Params{SpectrometerFrequency: mhz, Dwell: dwell, EchoTime: q.EchoTime(), MixingTime: q.TM, Sequence: strings.ToUpper(q.Kind), Nucleus: "1H"},
		Source:      fmt.Sprintf("simulated %s, %.6g MHz", q.Describe(), mhz),
		ProtonScale: scale, ProtonScaleFrom: fmt.Sprintf("simulated basis (one proton through %s = %.4g)", strings.ToUpper(q.Kind), scale)}
	return s, s.Validate()
}

// Source gives the basis set to fit each spectrum with: one set read from
// a file (Read), or a set simulated for each spectrum's header (sequence
// chosen by sim.SequenceFor, frequency, dwell and points), each completed
// by Prepare. Simulated sets are cached by acquisition, so a cohort
// simulates its basis once. A Source is safe for concurrent use.
type Source struct {
	file   *Set
	lipids bool
	mu     sync.Mutex
	cache  map[string]*Set
}

// NewSource returns a Source of the basis at path (an LCModel .BASIS
// file, an FSL-MRS or NIfTI-MRS folder; its proton scale measured with
// MeasureProtonScale when it has a Cr, PCr or NAA singlet), or of
// simulated sets when path is empty. lipids adds LCModel's lipid
// components (see Prepare).
func NewSource(path string, lipids bool) (*Source, error) {
	src := &Source{lipids: lipids, cache: map[string]*Set{}}
	if path == "" {
		return src, nil
	}
	s, err := Read(path)
	if err != nil {
		return nil, fmt.Errorf("basis: %w", err)
	}
	if s.ProtonScale == 0 {
		s.ProtonScale, s.ProtonScaleFrom, _ = s.MeasureProtonScale()
	}
	if src.file, err = s.Prepare(lipids); err != nil {
		return nil, fmt.Errorf("basis %s: %w", path, err)
	}
	return src, nil
}

// Simulated reports whether the source simulates its sets.
func (src *Source) Simulated() bool { return src.file == nil }

// For returns the set for data of n points acquired with p. A simulated
// set is made at the nearest kHz of p's frequency (scanners set it per
// scan; 1 kHz moves a peak 3 ppm from the carrier by 0.003 Hz), so a
// cohort shares one set. The set is shared: callers must not modify it.
// For does not check the set against p: fit.Fit does.
//
// A set read from a file whose dwell time divides the data's by a whole
// number k (a basis sampled at 0.25 ms for data at 0.5 ms, as Osprey's
// are) is given at every k-th point (Decimate): the same signals sampled at
// the data's times, exact as long as the basis's spectra lie within the
// data's bandwidth, which metabolite spectra at 0–4.5 ppm do.
func (src *Source) For(p mrs.Params, n int) (*Set, error) {
	if src.file != nil {
		k := DecimationFactor(src.file.Params.Dwell, p.Dwell)
		if k <= 1 {
			return src.file, nil
		}
		key := fmt.Sprintf("decimate/%d", k)
		src.mu.Lock()
		defer src.mu.Unlock()
		if s, ok := src.cache[key]; ok {
			return s, nil
		}
		s, err := src.file.Decimate(k)
		if err != nil {
			return nil, err
		}
		src.cache[key] = s
		return s, nil
	}
	q, err := sim.SequenceFor(p)
	if err != nil {
		return nil, err
	}
	mhz := math.Round(p.SpectrometerFrequency*1000) / 1000
	key := fmt.Sprintf("%s/%.9g/%.9g/%.9g/%.9g/%.3f/%.9g/%d", q.Kind, q.TE1, q.TE2, q.TE, q.TM, mhz, p.Dwell, n)
	src.mu.Lock()
	defer src.mu.Unlock()
	if s, ok := src.cache[key]; ok {
		return s, nil
	}
	s, err := Simulate(q, mhz, p.Dwell, n, nil)
	if err != nil {
		return nil, err
	}
	if s, err = s.Prepare(src.lipids); err != nil {
		return nil, err
	}
	src.cache[key] = s
	return s, nil
}

// DecimationFactor returns k when dataDwell is k times basisDwell for a
// whole number k ≥ 2 (within DwellTolerance), and 1 otherwise (dwell
// times in seconds).
func DecimationFactor(basisDwell, dataDwell float64) int {
	if !(basisDwell > 0) || !(dataDwell > basisDwell) {
		return 1
	}
	r := dataDwell / basisDwell
	k := math.Round(r)
	if k < 2 || k > 1<<16 || math.Abs(r-k) > DwellTolerance*k {
		return 1
	}
	return int(k)
}

// Decimate returns a copy of the set keeping every k-th point of each FID
// (k ≥ 1), with the dwell time multiplied by k: the same signals sampled k
// times less often. Signals outside the new bandwidth (±1/(2·k·dwell) Hz
// around the carrier) would alias; metabolite basis spectra do not reach
// it for the dwell times in use.
func (s *Set) Decimate(k int) (*Set, error) {
	if k < 1 {
		return nil, fmt.Errorf("basis %s: decimation factor %d, want ≥ 1", s.Source, k)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	out := *s
	out.Params.Dwell = s.Params.Dwell * float64(k)
	out.Names = append([]string(nil), s.Names...)
	out.FIDs = make([][]complex128, len(s.FIDs))
	m := (s.Points() + k - 1) / k
	for i, f := range s.FIDs {
		g := make([]complex128, m)
		for j := range g {
			g[j] = f[j*k]
		}
		out.FIDs[i] = g
	}
	if k > 1 {
		out.Source = fmt.Sprintf("%s (every %d. point: dwell %g s)", s.Source, k, out.Params.Dwell)
	}
	return &out, nil
}
