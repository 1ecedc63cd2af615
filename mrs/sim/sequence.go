package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/cmplx"
	"slices"
	"strings"
)

// Sequence is an ideal-pulse localisation sequence.
type Sequence struct {
	// Kind is "press", "steam", "slaser" or "pulse-acquire".
	Kind string
	// TE1 and TE2 are PRESS's first and second echo times in s
	// (TE = TE1 + TE2).
	TE1, TE2 float64
	// TE is the echo time of STEAM and semi-LASER in s; TM STEAM's mixing
	// time.
	TE, TM float64
}

// EchoTime returns the sequence's total echo time in s.
func (q Sequence) EchoTime() float64 {
	if strings.EqualFold(q.Kind, "press") {
		return q.TE1 + q.TE2
	}
	return q.TE
}

func (q Sequence) validate() error {
	switch strings.ToLower(q.Kind) {
	case "press":
		if q.TE1 < 0 || q.TE2 < 0 {
			return fmt.Errorf("sim: PRESS TE1 %g s, TE2 %g s: want ≥ 0", q.TE1, q.TE2)
		}
	case "steam":
		if q.TE < 0 || q.TM < 0 {
			return fmt.Errorf("sim: STEAM TE %g s, TM %g s: want ≥ 0", q.TE, q.TM)
		}
	case "slaser":
		if q.TE < 0 {
			return fmt.Errorf("sim: sLASER TE %g s: want ≥ 0", q.TE)
		}
	case "pulse-acquire":
	default:
		return fmt.Errorf("sim: unknown sequence %q (want press, steam, slaser or pulse-acquire)", q.Kind)
	}
	return nil
}

// lines runs the sequence on one spin group at spectrometer frequency mhz
// and returns the acquired signal's lines (frequencies in Hz relative to
// the transmitter at centre ppm).
//
// The group is first split into the connected components of its couplings
// (see components): their signals add up exactly, and each identical
// component (the nine methyl protons of a choline, say) is simulated once.
func (q Sequence) lines(g Group, mhz, centre float64) ([]line, error) {
	n := len(g.Shifts)
	for _, c := range g.J {
		if c.I < 0 || c.K < 0 || c.I >= n || c.K >= n || c.I == c.K {
			return nil, fmt.Errorf("sim: coupling between spins %d and %d of a %d-spin group", c.I, c.K, n)
		}
	}
	for _, h := range g.Hetero {
		if len(h.J) != n {
			return nil, fmt.Errorf("sim: %s couplings for %d protons of a %d-proton group", h.Nucleus, len(h.J), n)
		}
		if s := int(math.Round(2*h.Spin)) + 1; s < 2 || math.Abs(float64(s-1)/2-h.Spin) > 1e-9 {
			return nil, fmt.Errorf("sim: %s spin %g, want a positive multiple of 1/2", h.Nucleus, h.Spin)
		}
	}
	var out []line
	for _, c := range components(g) {
		off := make([]float64, len(c.group.Shifts))
		for i, s := range c.group.Shifts {
			off[i] = (s - centre) * mhz
		}
		ls, err := q.heteroLines(c.group, off, c.group.Hetero)
		if err != nil {
			return nil, err
		}
		for i := range ls {
			ls[i].amp *= complex(float64(c.count), 0)
		}
		out = append(out, ls...)
	}
	return out, nil
}

// component is a connected part of a group's coupling network and how
// many identical copies of it the group holds.
type component struct {
	group Group
	count int
}

// components splits g into the connected components of its couplings
// (nonzero J), each a Group of its own spins with the couplings and
// heteronuclei (those coupled to it) renumbered, in order of first spin;
// identical components are listed once with their count.
//
// This is exact: the Hamiltonian is a sum of the components' terms, ideal
// pulses act on each spin alone and the initial state Σ Izₖ is a sum over
// spins, so the density matrix stays a sum of terms ρ_c ⊗ 1 (1 on the
// other spins), each evolving on its own; the identity carries coherence
// order 0, so coherence selection acts on each ρ_c alone, and the traces
// over the other spins are what groupLines's 2^(n−1) normalisation
// divides out. A heteronucleus coupled to none of a component's spins
// would average identical copies, so it is dropped there.
func components(g Group) []component {
	n := len(g.Shifts)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	// The last listing of a pair wins, as in groupLines's matrix.
	j := map[[2]int]float64{}
	for _, c := range g.J {
		j[[2]int{min(c.I, c.K), max(c.I, c.K)}] = c.Hz
	}
	for p, hz := range j {
		if hz != 0 {
			if a, b := find(p[0]), find(p[1]); a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	var out []component
	index := map[string]int{}
	for root := 0; root < n; root++ {
		if find(root) != root {
			continue
		}
		var spins []int
		local := map[int]int{}
		for i := 0; i < n; i++ {
			if find(i) == root {
				local[i] = len(spins)
				spins = append(spins, i)
			}
		}
		c := Group{Scale: g.Scale, Shifts: make([]float64, len(spins))}
		for k, i := range spins {
			c.Shifts[k] = g.Shifts[i]
		}
		for _, p := range sortedPairs(j) {
			if _, ok := local[p[0]]; ok && j[p] != 0 {
				c.J = append(c.J, Coupling{local[p[0]], local[p[1]], j[p]})
			}
		}
		for _, h := range g.Hetero {
			hj := make([]float64, len(spins))
			coupled := false
			for k, i := range spins {
				hj[k] = h.J[i]
				coupled = coupled || hj[k] != 0
			}
			if coupled {
				c.Hetero = append(c.Hetero, Hetero{Nucleus: h.Nucleus, Spin: h.Spin, J: hj})
			}
		}
		key := fmt.Sprintf("%v", c)
		if k, ok := index[key]; ok {
			out[k].count++
			continue
		}
		index[key] = len(out)
		out = append(out, component{c, 1})
	}
	return out
}

// sortedPairs returns the keys of j in increasing order.
func sortedPairs(j map[[2]int]float64) [][2]int {
	ps := make([][2]int, 0, len(j))
	for p := range j {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return ps
}

// heteroLines averages the group's signal over the spin states of the
// heteronuclei het: each state m offsets the coupled protons by J·m Hz.
func (q Sequence) heteroLines(g Group, off []float64, het []Hetero) ([]line, error) {
	if len(het) == 0 {
		return q.groupLines(g, off)
	}
	h := het[0]
	states := int(math.Round(2*h.Spin)) + 1
	var out []line
	for k := 0; k < states; k++ {
		m := -h.Spin + float64(k)
		o := make([]float64, len(off))
		for i, v := range off {
			o[i] = v + h.J[i]*m
		}
		ls, err := q.heteroLines(g, o, het[1:])
		if err != nil {
			return nil, err
		}
		for i := range ls {
			ls[i].amp /= complex(float64(states), 0)
		}
		out = append(out, ls...)
	}
	return out, nil
}

// groupLines simulates one proton group with offsets off (Hz).
func (q Sequence) groupLines(g Group, off []float64) ([]line, error) {
	n := len(g.Shifts)
	j := make([][]float64, n)
	for i := range j {
		j[i] = make([]float64, n)
	}
	for _, c := range g.J {
		a, b := min(c.I, c.K), max(c.I, c.K)
		j[a][b] = c.Hz
	}
	sys, err := newSystem(off, j)
	if err != nil {
		return nil, err
	}
	st := sys.initial()
	r90 := newRotation(math.Pi/2, 0)
	r180 := newRotation(math.Pi, math.Pi/2)
	switch strings.ToLower(q.Kind) {
	case "pulse-acquire":
		st.pulse(r90, -1)
	case "press":
		st.pulse(r90, -1)
		st.evolve(q.TE1 / 2)
		st.pulse(r180, +1)
		st.evolve(q.TE1/2 + q.TE2/2)
		st.pulse(r180, -1)
		st.evolve(q.TE2 / 2)
	case "steam":
		st.pulse(r90, +1)
		st.evolve(q.TE / 2)
		st.pulse(r90, 0)
		st.evolve(q.TM)
		st.pulse(r90, -1)
		st.evolve(q.TE / 2)
	case "slaser":
		st.pulse(r90, -1)
		st.evolve(q.TE / 8)
		p := +1
		for k := 0; k < 4; k++ {
			st.pulse(r180, p)
			if k < 3 {
				st.evolve(q.TE / 4)
			}
			p = -p
		}
		st.evolve(q.TE / 8)
	}
	out := st.detect()
	scale := g.Scale
	if scale == 0 {
		scale = 1
	}
	// The trace over the other spins' states multiplies each spin's signal
	// by 2^(n−1): divide it out so one proton gives 1.
	scale /= float64(int(1) << (n - 1))
	// STEAM's stimulated echo (+1 → 0 → −1 with 90°x pulses) comes out
	// inverted: a global sign, removed so singlets are absorptive and
	// positive as in the other sequences.
	if strings.EqualFold(q.Kind, "steam") {
		scale = -scale
	}
	for i := range out {
		out[i].amp *= complex(scale, 0)
	}
	return out, nil
}

// FID simulates metabolite m through the sequence and samples it: n points
// every dwell seconds at mhz MHz, the transmitter at centre ppm (4.65 for
// 1H when 0). The FID is undamped (ideal lines): apply line broadening when
// comparing with measured data. Recent results are memorised (up to
// MemoSamples samples in all): a repeated call returns a copy of the
// first result without simulating again.
func FID(m Metabolite, q Sequence, mhz, dwell float64, n int, centre float64) ([]complex128, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	if !(mhz > 0) || !(dwell > 0) || n < 1 {
		return nil, fmt.Errorf("sim: frequency %g MHz, dwell %g s, %d points: want positive values", mhz, dwell, n)
	}
	if centre == 0 {
		centre = 4.65
	}
	key := memoKey(m, q, mhz, dwell, n, centre)
	if f, ok := memoGet(key); ok {
		return f, nil
	}
	out := make([]complex128, n)
	for _, g := range m.Groups {
		ls, err := q.lines(g, mhz, centre)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		sample(out, mergeLines(ls), dwell)
	}
	memoPut(key, out)
	return out, nil
}

// mergeTolHz is how close two lines' frequencies must be for mergeLines
// to add them into one: rounding-level coincidences (degenerate
// transitions of equivalent spins differ by about 1e-13 Hz), not distinct
// transitions, which in Glc at 7 T lie 2e-5 Hz apart. The merged line's
// phase is off by at most 2π·mergeTolHz·t (6e-9 rad after 1 s).
const mergeTolHz = 1e-9

// mergeLines sorts the lines by frequency (ties by amplitude, so the
// order and hence the sums are reproducible), adds the amplitudes of runs
// of lines within mergeTolHz of the run's first, and drops lines whose
// amplitude is below 1e-9.
func mergeLines(ls []line) []line {
	slices.SortFunc(ls, func(a, b line) int {
		if c := cmp.Compare(a.freq, b.freq); c != 0 {
			return c
		}
		if c := cmp.Compare(real(a.amp), real(b.amp)); c != 0 {
			return c
		}
		return cmp.Compare(imag(a.amp), imag(b.amp))
	})
	var out []line
	for i := 0; i < len(ls); {
		l := ls[i]
		j := i + 1
		for ; j < len(ls) && ls[j].freq-l.freq <= mergeTolHz; j++ {
			l.amp += ls[j].amp
		}
		if cmplx.Abs(l.amp) >= 1e-9 {
			out = append(out, l)
		}
		i = j
	}
	return out
}

// sample adds the lines, sampled every dwell seconds from t = 0, to out.
// Each line advances by multiplying with its one-dwell phasor, restarted
// from the exact phase every 1024 points so that rounding cannot build
// up. Two lines advance together, in real arithmetic, as independent
// products the CPU overlaps (twice as fast as one complex128 line at a
// time; more lines spill registers).
func sample(out []complex128, ls []line, dwell float64) {
	re, im := make([]float64, len(out)), make([]float64, len(out))
	at := func(l line, k int) (float64, float64) {
		z := l.amp * cmplx.Exp(complex(0, 2*math.Pi*l.freq*dwell*float64(k)))
		return real(z), imag(z)
	}
	step := func(l line) (float64, float64) {
		z := cmplx.Exp(complex(0, 2*math.Pi*l.freq*dwell))
		return real(z), imag(z)
	}
	for i := 0; i < len(ls); i += 2 {
		// An odd last line is paired with a zero line.
		l0, l1 := ls[i], line{}
		if i+1 < len(ls) {
			l1 = ls[i+1]
		}
		c0, d0 := step(l0)
		c1, d1 := step(l1)
		for k0 := 0; k0 < len(out); k0 += 1024 {
			a0, b0 := at(l0, k0)
			a1, b1 := at(l1, k0)
			r, m := re[k0:min(k0+1024, len(out))], im[k0:min(k0+1024, len(out))]
			m = m[:len(r)]
			for k := range r {
				r[k] += a0 + a1
				m[k] += b0 + b1
				a0, b0 = a0*c0-b0*d0, a0*d0+b0*c0
				a1, b1 = a1*c1-b1*d1, a1*d1+b1*c1
			}
		}
	}
	for k := range out {
		out[k] += complex(re[k], im[k])
	}
}
