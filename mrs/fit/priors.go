package fit

import (
	"fmt"
	"math"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/naming"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Prior is a soft constraint on a ratio of amplitudes, as LCModel's CHRATO
// (LCModel 6.3 source, subroutine CONCPR; manual section 11):
//
//	a_num / c_den = Ratio ± SD,  written  a_num − Ratio·c_den = 0 ± SD·ĉ,
//
// with c_den = Σ factor·a over the denominator's terms and ĉ its value in
// a first fit without priors (plus the Weight terms, which only keep ĉ
// from vanishing). The prior enters the least-squares problem as one more
// residual, (a_num − Ratio·c_den)/(SD·ĉ) in noise SDs, so it pulls only as
// hard as its SD says; the CRLBs include it (the Fisher information of
// the prior adds to the data's), as LCModel's %SD do.
type Prior struct {
	// Num names the numerator metabolite.
	Num string
	// Den lists the denominator's terms; Weight further terms counted in ĉ
	// only (LCModel's "+WT=").
	Den, Weight []PriorTerm
	// Ratio and SD are the expected ratio and its standard deviation.
	Ratio, SD float64
}

// PriorTerm is a metabolite name (or, ending in "*", every name with that
// prefix) with a factor.
type PriorTerm struct {
	// Name is a basis name, or a prefix followed by "*".
	Name string
	// Factor multiplies the term's amplitude (3 for choline in Big3).
	Factor float64
}

func terms(f float64, names ...string) []PriorTerm {
	out := make([]PriorTerm, len(names))
	for i, n := range names {
		out[i] = PriorTerm{n, f}
	}
	return out
}

// big3 is LCModel's "Big3": Cr + PCr + NAA + NAAG + 3·(GPC + PCh).
var big3 = append(terms(1, "Cr", "PCr", "NAA", "NAAG"), terms(3, "GPC", "PCho")...)

// LCModelPriors are LCModel 6.3's default soft constraints (CHRATO in
// BLOCK DATA, NRATIO = 13), with glusleep's names: the macromolecule
// ratios to MM09 and the lipid ratios to Lip13 (from the measured
// macromolecule spectrum, Behar et al., Magn Reson Med 1994;32:294–302,
// as LCModel parameterises it), and weak priors on small metabolites
// relative to Big3 and on GSH relative to Gln+GSH (".286 ± .126
// corresponds to GSH/Gln = .4 ± .3", LCModel's comment). LCModel's
// "-CrCH2/totCr" prior is left out: glusleep has no −CrCH2 component.
// LCModel drops the GSH prior above TE 49 ms; PriorsFor does too.
var LCModelPriors = []Prior{
	{Num: "Lip09", Den: terms(1, "Lip13*"), Weight: terms(1, "MM12"), Ratio: 0.267, SD: 0.1},
	{Num: "Lip20", Den: terms(1, "Lip13*"), Weight: terms(1, "MM12"), Ratio: 0.15, SD: 0.07},
	{Num: "MM20", Den: terms(1, "MM09*"), Weight: terms(1, "Lip09*"), Ratio: 1.5, SD: 0.375},
	{Num: "MM12", Den: terms(1, "MM09*"), Weight: terms(1, "Lip09*"), Ratio: 0.3, SD: 0.1},
	{Num: "MM14", Den: terms(1, "MM09*"), Weight: terms(1, "Lip09*"), Ratio: 0.75, SD: 0.45},
	{Num: "MM17", Den: terms(1, "MM09*"), Weight: terms(1, "Lip09*"), Ratio: 0.375, SD: 0.3},
	{Num: "Asp", Den: big3, Ratio: 0.05, SD: 0.05},
	{Num: "GABA", Den: big3, Ratio: 0.03, SD: 0.03},
	{Num: "Glc", Den: big3, Ratio: 0.03, SD: 0.03},
	{Num: "sIns", Den: big3, Ratio: 0.01, SD: 0.01},
	{Num: "Tau", Den: big3, Ratio: 0.05, SD: 0.05},
	{Num: "GSH", Den: terms(1, "Gln", "GSH"), Ratio: 0.286, SD: 0.126},
}

// PriorsFor returns LCModel's default priors for an echo time in s
// (without the GSH prior above 49 ms, as LCModel).
func PriorsFor(echoTimeS float64) []Prior {
	if echoTimeS > 0.049 {
		return LCModelPriors[:len(LCModelPriors)-1]
	}
	return LCModelPriors
}

// matches reports whether basis name n is the term's metabolite.
func (t PriorTerm) matches(n string) bool {
	if p, ok := strings.CutSuffix(t.Name, "*"); ok {
		return strings.HasPrefix(n, p)
	}
	return naming.CanonicalName(n) == naming.CanonicalName(t.Name)
}

// priorRows are the priors that apply to a basis, as rows P of the
// penalty ‖P·a‖² on the internal (unit-norm) amplitudes a.
type priorRows struct {
	p     *mat.Dense // K×m
	names []string   // the prior of each row, for reports
}

// buildPriors returns the rows of the priors whose numerator and
// denominator are in the basis, given physical amplitudes amps from a fit
// without priors (for ĉ), the noise SD and the basis norms; nil when none
// applies.
func buildPriors(priors []Prior, names []string, amps, norms []float64, sigma float64) *priorRows {
	var rows [][]float64
	var labels []string
	total := 0.0
	for i, a := range amps {
		if DefaultGroup(names[i]) == 0 {
			total += a
		}
	}
	for _, pr := range priors {
		num := -1
		for i, n := range names {
			if naming.CanonicalName(n) == naming.CanonicalName(pr.Num) {
				num = i
			}
		}
		row := make([]float64, len(names))
		chat, found := 0.0, false
		for i, n := range names {
			for _, t := range pr.Den {
				if t.matches(n) {
					row[i] -= pr.Ratio * t.Factor
					chat += t.Factor * amps[i]
					found = true
				}
			}
			for _, t := range pr.Weight {
				if t.matches(n) {
					chat += t.Factor * amps[i]
				}
			}
		}
		if num < 0 || !found || !(pr.SD > 0) {
			continue
		}
		// ĉ from the first fit; when it vanished (every denominator
		// component at zero), a hundredth of the metabolites' total keeps
		// the prior finite instead of forcing the numerator to zero.
		chat = math.Max(chat, 0.01*total)
		if !(chat > 0) {
			continue
		}
		row[num]++
		w := sigma / (pr.SD * chat)
		for i := range row {
			row[i] *= w / norms[i]
		}
		rows = append(rows, row)
		labels = append(labels, fmt.Sprintf("%s/(%s) = %g ± %g", pr.Num, termList(pr.Den), pr.Ratio, pr.SD))
	}
	if len(rows) == 0 {
		return nil
	}
	p := mat.NewDense(len(rows), len(names), nil)
	for k, r := range rows {
		p.SetRow(k, r)
	}
	return &priorRows{p: p, names: labels}
}

func termList(ts []PriorTerm) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		if t.Factor != 1 {
			s[i] = fmt.Sprintf("%g·%s", t.Factor, t.Name)
		} else {
			s[i] = t.Name
		}
	}
	return strings.Join(s, "+")
}

// addGram adds PᵀP to the Gram matrix g (m×m).
func (pp *priorRows) addGram(g *mat.SymDense) {
	if pp == nil {
		return
	}
	k, m := pp.p.Dims()
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			s := 0.0
			for r := 0; r < k; r++ {
				s += pp.p.At(r, i) * pp.p.At(r, j)
			}
			if s != 0 {
				g.SetSym(i, j, g.At(i, j)+s)
			}
		}
	}
}

// residualTo appends P·a to dst and returns it (dst without priors).
func (pp *priorRows) residualTo(dst, a []float64) []float64 {
	if pp == nil {
		return dst
	}
	k, m := pp.p.Dims()
	av := blas64.Vector{N: len(a), Inc: 1, Data: a}
	raw := pp.p.RawMatrix()
	for r := 0; r < k; r++ {
		// As mat.Dot of a row view and a vector.
		dst = append(dst, blas64.Dot(blas64.Vector{N: m, Inc: 1, Data: raw.Data[r*raw.Stride : r*raw.Stride+m]}, av))
	}
	return dst
}

func (pp *priorRows) rows() int {
	if pp == nil {
		return 0
	}
	k, _ := pp.p.Dims()
	return k
}

func (pp *priorRows) labels() []string {
	if pp == nil {
		return nil
	}
	return pp.names
}

// setPriors builds the priors that apply (Options.Priors, else PriorsFor
// the echo time of p) from the amplitudes at θ, a converged fit without
// priors, for the fit that follows, and reports whether any applies.
func (pr *problem) setPriors(theta []float64, p mrs.Params) bool {
	priors := pr.opt.Priors
	if priors == nil {
		priors = PriorsFor(p.EchoTime)
	}
	ev := pr.evaluate(theta)
	amps := make([]float64, pr.m)
	for i, a := range ev.lin.amps {
		amps[i] = a / pr.norms[i]
	}
	pr.prior = buildPriors(priors, pr.names, amps, pr.norms, pr.sigma)
	if pr.prior == nil {
		return false
	}
	pr.dropCache()
	return true
}

// broadGroup reports whether lineshape group g holds only macromolecule
// and lipid components (DefaultGroup ≠ 0) and its lineshape is tied to
// the metabolites' (setTies): only then does the fit hold it to
// BroadMaxShiftPPM and BroadMaxLinewidthPPM. Their lines are simulated
// with their own widths (LCModel's CHSIMU: MM09 0.14 ppm, …), so the fit
// may add only a little broadening and shift: LCModel lets a component's
// FWHM grow by about 0.03 ppm (MM09 "FWHM= .14 < .17 ± .015") and shift
// by 0.005–0.03 ppm. Without these limits the broad components turn into
// a second baseline: on Osprey's sub-01 they took 0.1 ppm of extra width
// and shift, MM09 and MM20 fell to zero, and GSH took MM20's signal at
// 2.0–2.3 and 3.0 ppm.
func (pr *problem) broadGroup(g int) bool { return pr.broad[g] }

// setBroad marks, per group, whether it holds only macromolecules and
// lipids (broadGroup), when broad groups are tied (tiedBroad).
func (pr *problem) setBroad() {
	pr.broad = make([]bool, pr.ng)
	if !pr.tiedBroad() {
		return
	}
	n := make([]int, pr.ng)
	for g := range pr.broad {
		pr.broad[g] = true
	}
	for m, g := range pr.group {
		n[g]++
		pr.broad[g] = pr.broad[g] && DefaultGroup(pr.names[m]) != 0
	}
	for g := range pr.broad {
		pr.broad[g] = pr.broad[g] && n[g] > 0
	}
}
