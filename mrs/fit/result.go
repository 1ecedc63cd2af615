package fit

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"
)

// Result is the outcome of a fit.
type Result struct {
	// Names are the basis metabolites, in the order of the basis.
	Names []string
	// Amplitudes are the fitted scale factors of each basis spectrum
	// (dimensionless: 1 reproduces the basis spectrum as given).
	Amplitudes []float64
	// SD are the Cramér–Rao lower bounds of Amplitudes (same units).
	SD []float64
	// Cov is the amplitudes' covariance matrix from the Fisher information
	// (units of Amplitudes squared; SD is the root of its diagonal).
	Cov *mat.SymDense

	// Phase0 is the zero-order phase in degrees; Phase1 the first-order
	// phase in degrees per ppm about PhaseRefPPM.
	Phase0, Phase1, PhaseRefPPM float64
	// GaussHz is the global Gaussian broadening (FWHM, Hz) applied to the
	// basis.
	GaussHz float64
	// Group is each metabolite's lineshape group (an index into ShiftHz and
	// LorentzHz).
	Group []int
	// ShiftHz and LorentzHz are per group: the frequency shift (Hz) and the
	// Lorentzian broadening (FWHM, Hz) applied to the basis.
	ShiftHz, LorentzHz []float64

	// NoiseSD is the standard deviation of the real (and imaginary) spectral
	// noise in the data's units, measured in the signal-free region.
	NoiseSD float64
	// BaselineEDPerPPM is the baseline's effective dimension per ppm used
	// (0 without baseline).
	BaselineEDPerPPM float64
	// Iterations is the number of Levenberg–Marquardt iterations taken.
	Iterations int

	// PPM is the chemical shift of each fit point, ascending.
	PPM []float64
	// Data, Model, Baseline are the spectra at the fit points with the
	// fitted phases removed, so that their real parts are absorption mode.
	// Model includes the baseline.
	Data, Model, Baseline []complex128
	// Components are each metabolite's fitted spectrum (phase removed) at
	// the fit points, amplitude included.
	Components [][]complex128
	// QC holds the fit's quality measures.
	QC QC
}

// Index returns the position of metabolite name in r.Names, or −1.
func (r *Result) Index(name string) int {
	for i, n := range r.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Combination returns the summed amplitude of the named metabolites and its
// CRLB from the covariance (including their correlation), and whether all
// the names are in the basis.
func (r *Result) Combination(names ...string) (amp, sd float64, ok bool) {
	idx := make([]int, 0, len(names))
	for _, n := range names {
		i := r.Index(n)
		if i < 0 {
			return 0, 0, false
		}
		idx = append(idx, i)
	}
	v := 0.0
	for _, i := range idx {
		amp += r.Amplitudes[i]
		for _, j := range idx {
			v += r.Cov.At(i, j)
		}
	}
	return amp, math.Sqrt(math.Max(v, 0)), true
}

// Residual returns the RMS of the real part of Data − Model over the fit
// range, in noise SDs (about 1 for a good fit).
func (r *Result) Residual() float64 {
	s := 0.0
	for i := range r.Data {
		d := real(r.Data[i] - r.Model[i])
		s += d * d
	}
	if len(r.Data) == 0 || r.NoiseSD == 0 {
		return math.NaN()
	}
	return math.Sqrt(s/float64(len(r.Data))) / r.NoiseSD
}

// result assembles the Result, including the CRLBs.
func (pr *problem) result(theta []float64, names []string, iters int, ed float64) (*Result, error) {
	ev := pr.evaluate(theta)
	td, fd := ev.td, ev.fd
	amps, blRe, blIm := ev.lin.amps, ev.lin.blRe, ev.lin.blIm
	nf := len(pr.idx)
	res := &Result{
		Names:       append([]string(nil), names...),
		Amplitudes:  make([]float64, pr.m),
		SD:          make([]float64, pr.m),
		Phase0:      math.Mod(theta[pPhi0]*180/math.Pi+540, 360) - 180,
		Phase1:      theta[pPhi1] * 180 / math.Pi,
		PhaseRefPPM: pr.ppmRef,
		GaussHz:     2 * math.Sqrt(theta[pGauss]*math.Ln2) / math.Pi,
		Group:       append([]int(nil), pr.group...),
		ShiftHz:     make([]float64, pr.ng),
		LorentzHz:   make([]float64, pr.ng),
		NoiseSD:     pr.sigma,
		Iterations:  iters,
		PPM:         pr.ppm,
	}
	if pr.bl != nil {
		res.BaselineEDPerPPM = ed
	}
	for g := 0; g < pr.ng; g++ {
		shift, damp := pr.shiftDamp(theta, g)
		res.ShiftHz[g] = shift
		res.LorentzHz[g] = damp / math.Pi
	}
	for m := 0; m < pr.m; m++ {
		res.Amplitudes[m] = amps[m] / pr.norms[m]
	}
	ph := pr.phase(theta)
	res.Data = make([]complex128, nf)
	res.Model = make([]complex128, nf)
	res.Baseline = make([]complex128, nf)
	res.Components = make([][]complex128, pr.m)
	for m := range res.Components {
		res.Components[m] = make([]complex128, nf)
	}
	for j := 0; j < nf; j++ {
		inv := cmplx.Conj(ph[j])
		bl := complex(blRe[j], blIm[j])
		res.Data[j] = complex(pr.y[j], pr.y[nf+j]) * inv
		res.Baseline[j] = bl * inv
		fitv := bl
		for m := range fd {
			c := complex(amps[m], 0) * fd[m][j]
			fitv += c
			res.Components[m][j] = c * inv
		}
		res.Model[j] = fitv * inv
	}
	res.QC = pr.qc(res, td, amps)
	cov, err := pr.covariance(theta, fd, amps, ph)
	if err != nil {
		return nil, err
	}
	res.Cov = mat.NewSymDense(pr.m, nil)
	for i := 0; i < pr.m; i++ {
		for j := i; j < pr.m; j++ {
			res.Cov.SetSym(i, j, cov.At(i, j)/(pr.norms[i]*pr.norms[j]))
		}
		res.SD[i] = math.Sqrt(math.Max(res.Cov.At(i, i), 0))
	}
	return res, nil
}
