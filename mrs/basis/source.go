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

// MaxDecimation is the largest decimation factor DecimationFactor returns
// and Decimate accepts: a basis sampled 16 times as often as the data is
// already far beyond any set in use (Osprey's are 2 times).
const MaxDecimation = 16

// MaxAliasedEnergy is the largest share of a FID's spectral energy that
// may lie outside the decimated bandwidth (and so fold back into it)
// before Decimate refuses the set.
const MaxAliasedEnergy = 1e-3

// DecimationFactor returns k when dataDwell is k times basisDwell for a
// whole number k from 2 to MaxDecimation (within DwellTolerance), and 1
// otherwise (dwell times in seconds).
func DecimationFactor(basisDwell, dataDwell float64) int {
	if !(basisDwell > 0) || !(dataDwell > basisDwell) {
		return 1
	}
	r := dataDwell / basisDwell
	k := math.Round(r)
	if k < 2 || k > MaxDecimation || math.Abs(r-k) > DwellTolerance*k {
		return 1
	}
	return int(k)
}

// Decimate returns a copy of the set keeping every k-th point of each FID
// (1 ≤ k ≤ MaxDecimation), with the dwell time multiplied by k: the same
// signals sampled k times less often. Signals outside the new bandwidth
// (±1/(2·k·dwell) Hz around the carrier) would alias into it, so Decimate
// refuses, naming the metabolite, a FID with more than MaxAliasedEnergy of
// its spectral energy there; metabolite basis spectra (0–4.5 ppm) lie well
// inside it for the dwell times in use.
func (s *Set) Decimate(k int) (*Set, error) {
	if k < 1 || k > MaxDecimation {
		return nil, fmt.Errorf("basis %s: decimation factor %d, want 1 to %d", s.Source, k, MaxDecimation)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if k > 1 {
		for i, f := range s.FIDs {
			if a := aliasedShare(f, k); !(a <= MaxAliasedEnergy) {
				return nil, fmt.Errorf("basis %s: %s has %.3g of its spectral energy outside ±%.6g Hz, the bandwidth at every %d. point (limit %g): decimating would fold it into the spectrum", s.Source, s.Names[i], a, 1/(2*float64(k)*s.Params.Dwell), k, MaxAliasedEnergy)
			}
		}
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

// aliasedShare returns the share of fid's spectral energy at frequencies
// beyond ±1/(2·k·dwell), the bandwidth of every k-th point: the bins of
// its centred n-point spectrum more than n/(2k) from the centre.
//
// The FID is first weighted by a Tukey window (cos² tapers over its first
// and last n/8 points, 1 between). A FID starts abruptly (and a short one
// may not have decayed by its end), and those steps alone give every
// spectrum tails of energy falling only as 1/f², at every frequency,
// whatever the lines: a complex Lorentzian 2 Hz wide holds a few 1e-3 of
// its energy beyond 500 Hz from its centre. The tapers remove the steps,
// so what is counted is the lines and broad components themselves lying
// beyond the band, which decimation would fold into it; the window widens
// lines by about 8/(n·dwell) Hz at their base and moves none.
func aliasedShare(fid []complex128, k int) float64 {
	n := len(fid)
	if n == 0 {
		return 0
	}
	taper := max(n/8, 1)
	f := make([]complex128, n)
	for j, v := range fid {
		w := 1.0
		if d := min(j, n-1-j); d < taper {
			s := math.Sin(math.Pi / 2 * float64(d) / float64(taper))
			w = s * s
		}
		f[j] = v * complex(w, 0)
	}
	spec := mrs.Spectrum(f)
	half := float64(n) / (2 * float64(k))
	var in, out float64
	for i, v := range spec {
		e := real(v)*real(v) + imag(v)*imag(v)
		if math.Abs(float64(i-n/2)) > half {
			out += e
		} else {
			in += e
		}
	}
	if in+out == 0 {
		return 0
	}
	return out / (in + out)
}
