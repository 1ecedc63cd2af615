package main

import (
	"bytes"
	"context"
	"encoding/json"
	"glusleep/demo"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/sim"
	"glusleep/study"
	"glusleep/synth"
)

// steamTruth are the amplitudes (basis units, mM-like) of the simulated
// STEAM spectrum; Glx/tCr = (9 + 3)/(4.5 + 3.5) = 1.5.
var steamTruth = map[string]float64{"NAA": 10, "Cr": 4.5, "PCr": 3.5, "Glu": 9, "Gln": 3, "Ins": 6, "GPC": 1.2, "PCho": 0.6,
	"MM09": 3, "MM12": 1.5, "MM14": 2, "MM17": 1.5, "MM20": 3}

// writeSteamSpectrum writes a 3 T STEAM (TE 20 ms, TM 10 ms) spectrum
// made from a basis simulated with those parameters and the known
// amplitudes steamTruth as NIfTI-MRS, with an unsuppressed water
// reference (a 4.65 ppm singlet) beside it as *_mrsref.
func writeSteamSpectrum(t *testing.T, dir, id string) {
	t.Helper()
	p := mrs.Params{SpectrometerFrequency: 123.25, Dwell: 1.0 / 4000, EchoTime: 0.020, MixingTime: 0.010, RepetitionTime: 3,
		Sequence: "STEAM", Nucleus: "1H", Vendor: "Siemens"}
	const n = 2048
	set, err := basis.Simulate(sim.Sequence{Kind: "steam", TE: p.EchoTime, TM: p.MixingTime}, p.SpectrometerFrequency, p.Dwell, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if set, err = set.Prepare(true); err != nil {
		t.Fatal(err)
	}
	spec := synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: p.Dwell, Amplitudes: steamTruth,
		LorentzHz: 3, GaussHz: 4, ShiftHz: 2, Phase0: 10, NoiseSD: 2}
	fid, _, err := synth.Spectrum(spec, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if err := nifti.WriteData(filepath.Join(dir, id+"_svs.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	water := make([]complex128, n)
	for k := range water {
		tt := float64(k) * p.Dwell
		water[k] = complex(2*30000, 0) * cmplx.Exp(complex(-math.Pi*5*tt, 0))
	}
	if err := nifti.WriteData(filepath.Join(dir, id+"_mrsref.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{water}}); err != nil {
		t.Fatal(err)
	}
}

// writeDemoSpectra writes k of the demo's spectra (demo.MRSCohort's 1.5 T
// PRESS TE 30 ms thalamus spectra, made as it makes them): for each the
// demo's raw acquisition (16 transients and a water reference, which the
// pipeline preprocesses) as sub-<id>_svs.nii.gz and, for the first, also
// the averaged spectrum alone (sub-<id>_acq-avg_svs.nii.gz).
func writeDemoSpectra(t *testing.T, dir string, k int) []string {
	t.Helper()
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 1.0 / 2500, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H", Vendor: "GE"}
	an, err := analysis.New(analysis.Settings{Lipids: true})
	if err != nil {
		t.Fatal(err)
	}
	set, err := an.Basis(p, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < k; i++ {
		id := "sub-0" + strconv.Itoa(i+1)
		amps := demo.TypicalAmplitudes()
		amps["Glu"], amps["Gln"] = 0.75*(8+float64(i)), 0.25*(8+float64(i))
		spec := synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: p.Dwell, Amplitudes: amps,
			LorentzHz: 3, GaussHz: 3, ShiftHz: float64(i), Phase0: 5, NoiseSD: 5}
		if err := demo.RawAcquisition(dir, id, spec, 1, i); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if i == 0 {
			fid, _, err := synth.Spectrum(spec, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			if err := nifti.WriteData(filepath.Join(dir, id+"_acq-avg_svs.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ids
}

// Acceptance (issue 14): `mrs fit` and `run … participant` are one
// pipeline. For the demo's spectra (raw transients with a water
// reference, and a single averaged spectrum) and for a STEAM spectrum
// simulated with known amplitudes, the command and study.Pipeline write
// byte-identical _fit.tsv and _qc.json; the STEAM spectrum is fitted with a
// STEAM basis (not PRESS, as the study did before) and gives its true
// Glx/tCr of 1.5.
func TestMRSFitEqualsParticipant(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates two bases and fits 5 spectra twice")
	}
	t.Parallel()
	src := t.TempDir()
	ids := writeDemoSpectra(t, src, 2)
	writeSteamSpectrum(t, src, "sub-09")
	ids = append(ids, "sub-09")
	inputs, _ := filepath.Glob(filepath.Join(src, "*_svs.nii.gz"))
	if len(inputs) != 4 {
		t.Fatalf("inputs %v, want 4", inputs)
	}
	cmdOut := t.TempDir()
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se, terminal: true}, append([]string{"mrs", "fit", "--simulate", "--jobs", "2", "--out", cmdOut}, inputs...)); code != 0 {
		t.Fatalf("mrs fit: exit %d: %s", code, se.String())
	}
	// Several files on a terminal: progress on stderr, none on stdout.
	if !strings.Contains(se.String(), "mrs fit: 4 of 4 spectra") || strings.Contains(so.String(), "spectra") {
		t.Errorf("progress: stderr %q, stdout %q", se.String(), so.String())
	}
	studyOut := t.TempDir()
	pl := &study.Pipeline{Settings: study.DefaultSettings()}
	for _, id := range ids {
		p := &study.Participant{Label: strings.TrimPrefix(id, "sub-")}
		for _, in := range inputs {
			if strings.HasPrefix(filepath.Base(in), id+"_") {
				p.MRS = append(p.MRS, study.MRSFiles{SVS: in})
			}
		}
		if _, err := pl.Process(context.Background(), p, studyOut); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	for _, in := range inputs {
		st := analysis.Stem(in)
		for _, suffix := range []string{"_fit.tsv", "_qc.json"} {
			a, errA := os.ReadFile(filepath.Join(cmdOut, st+suffix))
			// studyOut is every participant's folder: the derivative path
			// without its sub-<label>/.
			rel := study.DerivativePath(strings.TrimPrefix(strings.SplitN(st, "_", 2)[0], "sub-"), in, "mrs", suffix[1:])
			b, errB := os.ReadFile(filepath.Join(studyOut, strings.SplitN(rel, string(filepath.Separator), 2)[1]))
			if errA != nil || errB != nil {
				t.Fatalf("%s%s: %v, %v", st, suffix, errA, errB)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s%s differs between mrs fit and run participant:\n%s\n---\n%s", st, suffix, a, b)
			}
		}
	}
	// The STEAM spectrum: STEAM basis, water-scaled, true Glx/tCr.
	var qc analysis.QC
	b, _ := os.ReadFile(filepath.Join(cmdOut, "sub-09_svs_qc.json"))
	if err := json.Unmarshal(b, &qc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(qc.Basis, "STEAM TE 20 ms, TM 10 ms") || qc.Quantification == nil || qc.WaterReference == "" {
		t.Errorf("STEAM spectrum: basis %q, water %q, quantification %v; want a STEAM TE 20 TM 10 basis and water scaling", qc.Basis, qc.WaterReference, qc.Quantification)
	}
	tsv, _ := os.ReadFile(filepath.Join(cmdOut, "sub-09_svs_fit.tsv"))
	glx := math.NaN()
	for _, l := range strings.Split(string(tsv), "\n") {
		if f := strings.Split(l, "\t"); f[0] == "Glx" {
			glx, _ = strconv.ParseFloat(f[3], 64)
		}
	}
	if math.Abs(glx-1.5) > 0.075 {
		t.Errorf("STEAM Glx/tCr %g, want 1.5 ± 5%%", glx)
	}
	// The demo's raw spectra were preprocessed, the averaged one not.
	b, _ = os.ReadFile(filepath.Join(cmdOut, "sub-01_svs_qc.json"))
	if err := json.Unmarshal(b, &qc); err != nil || !qc.Preprocessed {
		t.Errorf("sub-01 raw transients not preprocessed: %v %s", err, b)
	}
}
