package stats

import (
	"errors"
	"math"
	"strconv"
	"testing"

	"glusleep/internal/tsv"
)

// FitLine and ConfidenceBand against R's lm and
// predict(interval = "confidence") on the data of testdata/band.R: three
// data sets, 11 points each (inside and outside the data's range), levels
// 0.90, 0.95 and 0.99.
func TestConfidenceBandAgainstR(t *testing.T) {
	data, err := tsv.ReadFile("testdata/band_data.tsv", tsv.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := map[string][]float64{}, map[string][]float64{}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range data.Rows {
		xs[r[0]], ys[r[0]] = append(xs[r[0]], num(r[1])), append(ys[r[0]], num(r[2]))
	}
	ref, err := tsv.ReadFile("testdata/band.tsv", tsv.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int {
		j := ref.Index(name)
		if j < 0 {
			t.Fatalf("band.tsv: no column %q", name)
		}
		return j
	}
	cSet, cLevel, cX, cFit, cLwr, cUpr := col("set"), col("level"), col("x"), col("fit"), col("lwr"), col("upr")
	cInt, cSlope, cSigma := col("intercept"), col("slope"), col("sigma")
	close := func(what string, got, want float64) {
		if math.Abs(got-want) > 1e-10*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: %.17g, R %.17g", what, got, want)
		}
	}
	for i, r := range ref.Rows {
		f, err := FitLine(xs[r[cSet]], ys[r[cSet]])
		if err != nil {
			t.Fatal(err)
		}
		close(ref.Pos(i, cInt)+" intercept", f.Intercept, num(r[cInt]))
		close(ref.Pos(i, cSlope)+" slope", f.Slope, num(r[cSlope]))
		close(ref.Pos(i, cSigma)+" sigma", f.Sigma, num(r[cSigma]))
		fit, lo, hi, err := f.ConfidenceBand([]float64{num(r[cX])}, num(r[cLevel]))
		if err != nil {
			t.Fatal(err)
		}
		close(ref.Pos(i, cFit)+" fit", fit[0], num(r[cFit]))
		close(ref.Pos(i, cLwr)+" lwr", lo[0], num(r[cLwr]))
		close(ref.Pos(i, cUpr)+" upr", hi[0], num(r[cUpr]))
	}
	if len(ref.Rows) != 99 {
		t.Errorf("%d reference rows, want 99", len(ref.Rows))
	}
}

func TestFitLineErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		x, y []float64
	}{
		{"lengths", []float64{1, 2, 3}, []float64{1, 2}},
		{"too few", []float64{1, 2}, []float64{1, 2}},
		{"constant x", []float64{2, 2, 2}, []float64{1, 2, 3}},
		{"NaN", []float64{1, math.NaN(), 3}, []float64{1, 2, 3}},
		{"Inf", []float64{1, 2, 3}, []float64{1, math.Inf(1), 3}},
	} {
		if _, err := FitLine(c.x, c.y); !errors.Is(err, ErrInput) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	f, err := FitLine([]float64{1, 2, 3, 4}, []float64{1, 3, 2, 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []float64{0, 1, -0.5, math.NaN()} {
		if _, _, _, err := f.ConfidenceBand([]float64{1}, level); !errors.Is(err, ErrInput) {
			t.Errorf("level %v: %v", level, err)
		}
	}
	if _, _, _, err := (LineFit{}).ConfidenceBand([]float64{1}, 0.95); !errors.Is(err, ErrInput) {
		t.Errorf("unfitted line: %v", err)
	}
}
