package fit

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"glusleep/mrs"

	"gonum.org/v1/gonum/mat"
)

// TestVarProJacobian checks the normal equations JᵀJ and Jᵀr the
// Levenberg–Marquardt search uses against those of the Jacobian by central
// finite differences of the variable-projection residual (amplitudes and
// baseline re-solved at every θ), with and without baseline, with the
// singlet families' shift and width priors, with a ratio prior on the
// amplitudes, and on data the model cannot fit (a singlet at 1.3 ppm that
// no basis spectrum holds), each half a hertz and 3° away from the
// optimum, where the search needs them and the residual is large. Golub
// and Pereyra's Jacobian agrees to the differences' precision (JᵀJ within
// 1e-6 of its scale, Jᵀr within 2e-8); Kaufman's approximation, which
// drops the term proportional to the residual (used before 2026-12-01),
// has the same Jᵀr (the gradient) but a JᵀJ off by 2–8 % here.
func TestVarProJacobian(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005, Nucleus: "1H"}
	names, basis := toyBasis(p, 1024)
	// A broad macromolecule line, so that its group's shift and damping
	// are tied to the metabolites' (tie.go) and the chain rule is checked.
	mm := make([]complex128, 1024)
	hz := (0.91 - p.Central()) * p.SpectrometerFrequency
	for k := range mm {
		tk := float64(k) * p.Dwell
		mm[k] = complex(3, 0) * cmplx.Exp(complex(-math.Pi*15*tk, 2*math.Pi*hz*tk))
	}
	names, basis = append(names, "MM09"), append(basis, mm)
	rng := rand.New(rand.NewPCG(3, 4))
	amps := []float64{10, 8, 2, 9, 6, 4}
	clean := synthData(p, basis, amps, 3, 4, 2, 30, 0.02, rng)
	misfit := append([]complex128(nil), clean...)
	lac := (1.31 - p.Central()) * p.SpectrometerFrequency
	for k := range misfit {
		tk := float64(k) * p.Dwell
		misfit[k] += complex(8, 0) * cmplx.Exp(complex(-math.Pi*4*tk, 2*math.Pi*lac*tk+0.5))
	}
	ratio := []Prior{{Num: "Glu", Den: terms(1, "Cr"), Ratio: 0.5, SD: 0.05}}
	for _, c := range []struct {
		name   string
		data   []complex128
		opt    Options
		priors []Prior
	}{
		{"no baseline", clean, Options{NoBaseline: true}, nil},
		{"baseline", clean, Options{BaselineEDPerPPM: 3}, nil},
		{"common lineshape", clean, Options{BaselineEDPerPPM: 3, CommonLineshape: true}, nil},
		{"ratio prior", clean, Options{BaselineEDPerPPM: 3}, ratio},
		{"misfit", misfit, Options{BaselineEDPerPPM: 3}, nil},
		{"misfit, ratio prior", misfit, Options{BaselineEDPerPPM: 3}, ratio},
	} {
		pr, err := newProblem(c.data, p, names, basis, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if !c.opt.CommonLineshape && (pr.tie[pr.group[5]] < 0 || len(pr.shiftPriorResidual(make([]float64, pr.nParams()))) == 0) {
			t.Fatalf("%s: the MM group is not tied or the families have no priors: ties %v", c.name, pr.tie)
		}
		theta := pr.initial()
		pr.untieStart(theta)
		pr.levenberg(theta)
		if c.priors != nil {
			ev := pr.evaluate(theta)
			phys := make([]float64, pr.m)
			for i, a := range ev.lin.amps {
				phys[i] = a / pr.norms[i]
			}
			if pr.prior = buildPriors(c.priors, names, phys, pr.norms, pr.sigma); pr.prior == nil {
				t.Fatalf("%s: the prior does not apply", c.name)
			}
			pr.dropCache()
			pr.levenberg(theta)
		}
		// Away from the optimum, where the search needs the Jacobian.
		theta[pShift(0)] += 0.5
		theta[pPhi0] += 0.05
		jtj, jtr := pr.normalEquations(theta)
		resid := func(th []float64) []float64 {
			// The residual includes the shift and width priors' rows.
			return append(append([]float64(nil), pr.linear(pr.evaluate(th).fd).r...), pr.shiftPriorResidual(th)...)
		}
		r0 := resid(theta)
		chi2 := 0.0
		for _, v := range r0 {
			chi2 += v * v
		}
		var free []int
		var cols [][]float64
		for i := 0; i < pr.nParams(); i++ {
			if lo, hi := pr.bounds(i); lo == hi {
				continue
			}
			h := 1e-6 * (1 + math.Abs(theta[i]))
			tp := append([]float64(nil), theta...)
			tm := append([]float64(nil), theta...)
			tp[i] += h
			tm[i] -= h
			rp, rm := resid(tp), resid(tm)
			d := make([]float64, len(r0))
			for k := range d {
				d[k] = (rp[k] - rm[k]) / (2 * h)
			}
			free, cols = append(free, i), append(cols, d)
		}
		dot := func(x, y []float64) float64 {
			s := 0.0
			for k := range x {
				s += x[k] * y[k]
			}
			return s
		}
		worst, worstG := 0.0, 0.0
		for a, i := range free {
			for b, j := range free {
				want := dot(cols[a], cols[b])
				e := math.Abs(jtj.At(i, j)-want) / math.Sqrt(dot(cols[a], cols[a])*dot(cols[b], cols[b]))
				worst = math.Max(worst, e)
			}
			want := dot(cols[a], r0)
			e := math.Abs(jtr.AtVec(i)-want) / math.Sqrt(dot(cols[a], cols[a])*chi2)
			worstG = math.Max(worstG, e)
		}
		t.Logf("%s (χ² %.3g): largest error of JᵀJ %.2g, of Jᵀr %.2g (relative)", c.name, chi2/(pr.sigma*pr.sigma), worst, worstG)
		if worst > 1e-5 || worstG > 1e-7 {
			t.Errorf("%s: JᵀJ or Jᵀr differs from the finite differences' by %.2g, %.2g (relative), want ≤ 1e-5, 1e-7", c.name, worst, worstG)
		}
	}
}

// TestBandedSmoother checks the banded P-spline solve against a dense
// solve of (BᵀB + λDᵀD)c = Bᵀx with gonum.
func TestBandedSmoother(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 200)
	for i := range x {
		x[i] = 4 - 3.8*float64(i)/199
	}
	for _, k := range []int{4, 7, 30, 60} {
		sp := newPSpline(bsplineBasis(x, x[0], x[len(x)-1], k))
		for _, lam := range []float64{1e-6, 1, 1e4} {
			if err := sp.setLambda(lam); err != nil {
				t.Fatal(err)
			}
			v := make([]float64, len(x))
			for i := range v {
				v[i] = rng.NormFloat64()
			}
			got := sp.coef(v)
			a := mat.NewSymDense(k, nil)
			for i := 0; i < k; i++ {
				for j := i; j < k; j++ {
					a.SetSym(i, j, sp.btb.At(i, j)+lam*sp.dtd.At(i, j))
				}
			}
			var btv, want mat.VecDense
			btv.MulVec(sp.b.T(), mat.NewVecDense(len(v), v))
			if err := want.SolveVec(a, &btv); err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if d := math.Abs(got[i] - want.AtVec(i)); d > 1e-8*(1+math.Abs(want.AtVec(i))) {
					t.Errorf("k=%d λ=%g: coefficient %d = %g, dense solve %g", k, lam, i, got[i], want.AtVec(i))
					break
				}
			}
		}
	}
}

// TestHermitianSolve solves random Hermitian positive definite systems and
// checks H·c = b; a singular matrix is reported.
func TestHermitianSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 2, 5, 25} {
		// H = MᴴM + I.
		mm := make([]complex128, n*n)
		for i := range mm {
			mm[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		h := make([]complex128, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var s complex128
				for k := 0; k < n; k++ {
					s += cmplx.Conj(mm[k*n+i]) * mm[k*n+j]
				}
				if i == j {
					s++
				}
				h[i*n+j] = s
			}
		}
		b := make([]complex128, n)
		for i := range b {
			b[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		work := append([]complex128(nil), h...)
		c := make([]complex128, n)
		if !hermitianSolve(work, n, b, c) {
			t.Fatalf("n=%d: positive definite matrix reported singular", n)
		}
		for i := 0; i < n; i++ {
			var s complex128
			for j := 0; j < n; j++ {
				s += h[i*n+j] * c[j]
			}
			if cmplx.Abs(s-b[i]) > 1e-10*(1+cmplx.Abs(b[i])) {
				t.Errorf("n=%d row %d: H·c = %v, b = %v", n, i, s, b[i])
			}
		}
	}
	if hermitianSolve([]complex128{1, 1, 1, 1}, 2, []complex128{1, 1}, make([]complex128, 2)) {
		t.Error("singular matrix not reported")
	}
}

// TestGramPenalised checks the linear solution's Gram matrix, AᵀA less
// (BᵀA)ᵀ(BᵀB + λDᵀD)⁻¹(BᵀA) per half (solveLinear), against Aᵀ(QA) formed
// directly from the baseline-eliminated columns QA = A − S·A (rho), with
// and without baseline, at the stiffness range chooseBaseline searches
// (1–7 effective dimensions per ppm); and the CRLB's ((I − S)A)ᵀ(I − S)A
// from the same products (gramResidualTo) against its direct form.
func TestGramPenalised(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005, Nucleus: "1H"}
	names, basis := toyBasis(p, 1024)
	rng := rand.New(rand.NewPCG(5, 6))
	data := synthData(p, basis, []float64{10, 8, 2, 9, 6}, 3, 4, 2, 30, 0.02, rng)
	for _, opt := range []Options{{NoBaseline: true}, {BaselineEDPerPPM: 1}, {BaselineEDPerPPM: 3}, {BaselineEDPerPPM: 7}} {
		pr, err := newProblem(data, p, names, basis, opt)
		if err != nil {
			t.Fatal(err)
		}
		_, fd := pr.components(pr.initial())
		a := pr.design(fd)
		ra, _ := pr.rho(a)
		var want mat.Dense
		want.Mul(a.T(), ra)
		ls := pr.linear(fd)
		// The CRLB's ((I − S)A)ᵀ(I − S)A (gramResidualTo) likewise.
		var wantR mat.Dense
		wantR.Mul(ra.T(), ra)
		gotR := mat.NewSymDense(pr.m, nil)
		var btx, ctx [2][]float64
		if pr.bl != nil {
			_, k := pr.bl.b.Dims()
			for h := range btx {
				btx[h], ctx[h] = make([]float64, k*pr.m), make([]float64, k*pr.m)
			}
		}
		pr.gramResidualTo(gotR, ls.a, pr.m, btx, ctx)
		for _, c := range []struct {
			name string
			got  *mat.SymDense
			want *mat.Dense
		}{{"Aᵀ(QA)", ls.g, &want}, {"((I − S)A)ᵀ(I − S)A", gotR, &wantR}} {
			for i := 0; i < pr.m; i++ {
				for j := 0; j < pr.m; j++ {
					scale := math.Sqrt(c.want.At(i, i) * c.want.At(j, j))
					if d := math.Abs(c.got.At(i, j) - c.want.At(i, j)); !(d <= 1e-12*scale) {
						t.Errorf("%+v: %s [%d,%d] = %g, formed directly %g", opt, c.name, i, j, c.got.At(i, j), c.want.At(i, j))
					}
				}
			}
		}
	}
}
