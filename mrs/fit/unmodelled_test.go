package fit

import (
	"path/filepath"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/preproc"
	"glusleep/mrs/sim"
)

// The GE phantom's large voxels hold acetate (a singlet at 1.904 ppm).
// Fitted with a basis that has acetate, the residual stays below the
// unmodelled-signal limits; told only that the data are a phantom, with a
// basis of brain metabolites, the fit puts NAA and glutamate on the
// acetate line and leaves most of it in the residual, and the flag says so.
// P1830 is a small voxel (creatine and lactate, no acetate): flagged in
// neither case.
func TestUnmodelledSignalGEPhantom(t *testing.T) {
	if testing.Short() {
		t.Skip("fits six phantom spectra")
	}
	t.Parallel()
	dir := shareddata.Path(t, "mrs/ge-1.5T-press-te30")
	for _, c := range []struct {
		file      string
		withoutAc bool // flagged when acetate is missing from the basis
	}{
		{"P1751_1.5T_030_2000.7", true},
		{"P1904_1.5T_030_2000.7", true},
		{"P1830_1.5T_030_2000.7", false},
	} {
		ds, err := mrsio.Read(filepath.Join(dir, c.file), mrsio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, withAc := range []bool{true, false} {
			ph := &preproc.Phantom{}
			names := []string{}
			if withAc {
				ph.Singlets = []preproc.RefPeak{{Name: "acetate", PPM: 1.904}}
				names = append(names, "Ace")
			}
			pre, err := preproc.Run(ds.Data, ds.Water, preproc.Options{Phantom: ph})
			if err != nil {
				t.Fatal(err)
			}
			d := pre.Data
			for _, m := range sim.Metabolites {
				names = append(names, m.Name)
			}
			set, err := basis.Simulate(sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, 63.873, d.Dwell, d.Points(), names)
			if err != nil {
				t.Fatal(err)
			}
			ps, opt, _, err := ForPhantom(set, Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Fit(d.FIDs[0], d.Params, ps, opt)
			if err != nil {
				t.Fatal(err)
			}
			msg := unmodelledSignal(res)
			want := !withAc && c.withoutAc
			t.Logf("%s, acetate in basis %v: %q", c.file, withAc, msg)
			if (msg != "") != want {
				t.Errorf("%s, acetate in basis %v: unmodelled-signal flag %q, want raised %v", c.file, withAc, msg, want)
			}
			flagged := false
			for _, f := range Flags(res, FlagContext{Phantom: true}) {
				flagged = flagged || f.Name == FlagUnmodelledSignal
			}
			if flagged != want {
				t.Errorf("%s, acetate in basis %v: Flags raised %s %v, want %v", c.file, withAc, FlagUnmodelledSignal, flagged, want)
			}
		}
	}
}

// A residual that is large in noise SDs but small against the spectrum
// (a high-SNR fit's lineshape mismatch), or large against the spectrum but
// within the noise, is not flagged; nor is a result without the ppm axis
// the message needs (checked, not indexed out of range).
func TestUnmodelledSignalLimits(t *testing.T) {
	mk := func(peak, resid, noise float64, ppm []float64) *Result {
		r := &Result{NoiseSD: noise, PPM: ppm}
		r.Baseline = []complex128{0, 0, 0}
		r.Data = []complex128{0, complex(peak, 0), complex(resid, 0)}
		r.Model = []complex128{0, complex(peak, 0), 0}
		return r
	}
	axis := []float64{1, 2, 3}
	for _, c := range []struct {
		name               string
		peak, resid, noise float64
		ppm                []float64
		want               bool
	}{
		{"clean", 100, 1, 1, axis, false},
		{"high SNR, 5 % mismatch", 1000, 50, 1, axis, false},
		{"noisy, 30 % but 3 SD", 10, 3, 1, axis, false},
		{"missing compound", 100, 40, 1, axis, true},
		{"at both limits", 100, 18.5, 1.8, axis, true},
		{"no noise estimate", 100, 40, 0, axis, false},
		{"no ppm axis", 100, 40, 1, nil, false},
		{"short ppm axis", 100, 40, 1, axis[:2], false},
	} {
		got := unmodelledSignal(mk(c.peak, c.resid, c.noise, c.ppm)) != ""
		if got != c.want {
			t.Errorf("%s: flagged %v, want %v", c.name, got, c.want)
		}
	}
}
