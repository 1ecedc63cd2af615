package fit

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"glusleep/plot"
)

// figureResult builds a Result by hand (Lorentzian lines at known ppm)
// scaled by scale, so the figure is tested apart from the fit.
func figureResult(scale float64) *Result {
	lines := map[string][][2]float64{ // ppm, height
		"NAA": {{2.008, 3}}, "NAAG": {{2.04, 0.4}}, "Cr": {{3.027, 2}, {3.913, 1.5}}, "PCr": {{3.029, 1}},
		"GPC": {{3.21, 1}}, "PCho": {{3.2, 0.5}}, "Glu": {{2.35, 0.8}, {3.75, 0.6}}, "Gln": {{2.45, 0.4}, {3.77, 0.3}}, "Ins": {{3.53, 1}, {4.06, 0.4}},
	}
	names := []string{"NAA", "NAAG", "Cr", "PCr", "GPC", "PCho", "Glu", "Gln", "Ins"}
	n := 600
	r := &Result{Names: names, Amplitudes: make([]float64, len(names)), SD: make([]float64, len(names)), Cov: mat.NewSymDense(len(names), nil)}
	r.PPM = make([]float64, n)
	r.Data, r.Model, r.Baseline = make([]complex128, n), make([]complex128, n), make([]complex128, n)
	for j := range r.PPM {
		r.PPM[j] = 0.2 + 3.8*float64(j)/float64(n-1)
		r.Baseline[j] = complex(0.05*scale, 0)
		r.Model[j] = r.Baseline[j]
	}
	for m, name := range names {
		r.Amplitudes[m], r.SD[m] = 1, 0.1
		r.Cov.SetSym(m, m, 0.01)
		c := make([]complex128, n)
		for j, p := range r.PPM {
			for _, l := range lines[name] {
				w := 0.03
				c[j] += complex(scale*l[1]*w*w/((p-l[0])*(p-l[0])+w*w), 0)
			}
			r.Model[j] += c[j]
		}
		r.Components = append(r.Components, c)
	}
	for j := range r.Data {
		r.Data[j] = r.Model[j] + complex(0.03*scale*math.Sin(float64(j)), 0)
	}
	return r
}

func TestFigureComponentsAndScale(t *testing.T) {
	for _, c := range []struct {
		scale float64
		axis  string
	}{{1, "signal (a.u.)"}, {1e9, "signal (a.u., ×10⁹)"}} {
		s := figureResult(c.scale).Figure("sub-01_svs").SVG()
		for _, want := range []string{">Glu<", ">Gln<", ">Glx = Glu + Gln<", ">NAA + NAAG<", ">Cr + PCr<", ">GPC + PCho<", ">Ins<", ">residual (data − fit)<", ">baseline<", c.axis} {
			if !strings.Contains(s, want) {
				t.Errorf("scale %g: figure lacks %q", c.scale, want)
			}
		}
		probs, err := plot.Check(s, 12)
		if err != nil || len(probs) > 0 {
			t.Errorf("scale %g: %v %q", c.scale, err, probs)
		}
		// No tick label longer than 5 characters: engineering notation.
		for _, part := range strings.Split(s, `text-anchor="end">`)[1:] {
			lab := part[:strings.Index(part, "<")]
			if len([]rune(lab)) > 5 && !strings.ContainsAny(lab, "abcdefghijklmnopqrstuvwxyz") {
				t.Errorf("scale %g: tick label %q", c.scale, lab)
			}
		}
	}
	// Glx is the sum of Glu and Gln.
	r := figureResult(1)
	glx, _ := r.ComponentSum("Glu", "Gln")
	for j := range glx {
		if glx[j] != r.Components[6][j]+r.Components[7][j] {
			t.Fatalf("Glx at %d", j)
		}
	}
	if _, ok := r.ComponentSum("GABA"); ok {
		t.Errorf("ComponentSum of a metabolite not in the basis: ok")
	}
}

// The title's ratios follow the fit tables' rule (TCrDetected): numbers
// with a detected tCr, n/a when tCr is undetermined (CRLB ≥ 999 %) or
// fitted as 0, where _fit.tsv writes n/a.
func TestFigureTitleRatios(t *testing.T) {
	for _, c := range []struct {
		name       string
		cr, crVar  float64 // Cr and PCr amplitude and variance
		wantNumber bool
	}{
		{"detected", 1, 0.01, true},
		{"undetermined", 1, 1e4, false}, // tCr CRLB √(2·10⁴)/2 = 7071 %
		{"fitted as 0", 0, 0.01, false},
	} {
		r := figureResult(1)
		for _, n := range []string{"Cr", "PCr"} {
			i := slices.Index(r.Names, n)
			r.Amplitudes[i], r.SD[i] = c.cr, math.Sqrt(c.crVar)
			r.Cov.SetSym(i, i, c.crVar)
		}
		title := r.Figure("sub-01_svs").Title
		for _, m := range []string{"Glx", "tNAA"} {
			na := strings.Contains(title, m+"/tCr n/a ")
			if na == c.wantNumber {
				t.Errorf("%s: title %q: %s/tCr n/a %v, want %v", c.name, title, m, na, !c.wantNumber)
			}
		}
		if TCrDetected(r.Table(math.NaN())) != c.wantNumber {
			t.Errorf("%s: TCrDetected %v", c.name, !c.wantNumber)
		}
	}
}
