package study

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
	"glusleep/synth"
)

// methodsDataset writes a BIDS dataset of four participants (two per
// group), each with a 16-transient NIfTI-MRS spectrum (1.5 T PRESS, TE 30
// ms, TR 2000 ms, a 20 mm cube at (1, 2, 3) mm) and one scored night.
func methodsDataset(t *testing.T) string {
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\tage\tsex\n"+
		"sub-01\trls\t60\tF\nsub-02\trls\t62\tM\nsub-03\tcontrol\t58\tF\nsub-04\tcontrol\t61\tM\n")
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 1.0 / 2000, Nucleus: "1H", EchoTime: 0.030, RepetitionTime: 2.0,
		Voxel: mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{1, 2, 3}}}
	for i := 1; i <= 4; i++ {
		clean := make([]complex128, 1024)
		for k := range clean {
			tt := float64(k) * p.Dwell
			for _, l := range []struct{ ppm, amp float64 }{{2.008, 3}, {3.027, 2}, {3.21, 1.5}, {2.35, 0.5 + 0.1*float64(i)}, {3.75, 0.4}} {
				hz := (l.ppm - 4.65) * p.SpectrometerFrequency
				clean[k] += complex(l.amp*math.Exp(-math.Pi*4*tt), 0) * cmplx.Rect(1, 2*math.Pi*hz*tt)
			}
		}
		rng := rand.New(rand.NewPCG(uint64(i), 9))
		d, _, err := synth.Acquisition(clean, p, synth.AcquisitionSpec{Transients: 16, NoiseSD: 0.3, DriftHz: 2, JitterHz: 0.3}, rng)
		if err != nil {
			t.Fatal(err)
		}
		lab := fmt.Sprintf("sub-%02d", i)
		if err := os.MkdirAll(filepath.Join(root, lab, "mrs"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := nifti.WriteData(filepath.Join(root, lab, "mrs", lab+"_svs.nii.gz"), d); err != nil {
			t.Fatal(err)
		}
		if i == 1 { // a BIDS-MRS sidecar with what the NIfTI header lacks
			write(t, filepath.Join(root, lab, "mrs", lab+"_svs.json"), `{"ManufacturersModelName": "Signa HDxt", "SoftwareVersions": "15M4",
				"WaterSuppressionTechnique": "CHESS", "ReceiveCoilName": "8HRBRAIN", "OuterVolumeSuppression": true}`)
		}
		ev := "onset\tduration\ttrial_type\tstage\n"
		for k, st := range []string{"W", "N1", "N2", "N2", "W", "N2", "N3", "R", "W"} {
			ev += fmt.Sprintf("%d\t30\tsleep_stage\t%s\n", 30*k, st)
		}
		write(t, filepath.Join(root, lab, "eeg", lab+"_task-sleep_run-1_events.tsv"), ev)
		write(t, filepath.Join(root, lab, "eeg", lab+"_task-sleep_run-1_eeg.edf"), tinyEDF(t)) // a sound recording: one that does not open fails the participant
	}
	return root
}

// methods.md and mrsinmrs.tsv name every setting that was run: the
// participant settings as provenance.json records them, the plan's QC
// limits, primary analysis, adjustment and model, the version, and the
// spectra's acquisition parameters as their headers give them.
func TestMethodsAndMRSinMRSFromRun(t *testing.T) {
	t.Parallel()
	root := methodsDataset(t)
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	set := Settings{FitRangePPM: [2]float64{0.5, 3.9}, MaxShiftPPM: 0.15, Lipids: false, LegStandard: "aasm", Preprocess: "always"}
	pl := &Pipeline{Settings: set}
	r := &Runner{Dataset: d, Out: out, Settings: set, Version: "9.9.9-test", Workers: 1, Process: pl.Process}
	if _, err := r.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	pv, err := ReadProvenance(filepath.Join(out, "sub-01"))
	if err != nil {
		t.Fatal(err)
	}
	var got Settings
	if err := json.Unmarshal(pv.Settings, &got); err != nil || got != set {
		t.Fatalf("provenance settings %s (%v), want %+v", pv.Settings, err, set)
	}
	plan := DefaultPlan()
	plan.QCMinSNR, plan.QCMaxFWHMPPM, plan.QCMaxCRLBPercent, plan.ExcludeFailedQC = 3, 0.2, 30, true
	plan.Adjust, plan.SleepMeasures, plan.Model = "bonferroni", []string{"waso_min"}, "waso_min ~ glx_tcr + group"
	plan.ClinicalColumns = nil
	// The group level is given another version: the methods report the
	// one the participants were processed with (provenance).
	if _, err := Group(d, out, plan, "group-version"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "group", "methods.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"glusleep 9.9.9-test", "fitted 0.5–3.9 ppm", "within ±0.15 ppm", "without LCModel-style lipid", "(--preprocess always)",
		"the AASM scoring manual's rules", `"standard":"aasm"`, "spectral registration (Near et al. 2015)",
		"flagged when SNR < 3, NAA FWHM > 0.2 ppm or glx_tcr CRLB > 30%", "primary analysis: QC-passed spectra only",
		"by bonferroni (p.adjust(p, \"bonferroni\"))", "lm(waso_min ~ glx_tcr + group)", "TE 30.0 ms", "TR 2000 ms",
		"field strength 1.50 T (from the spectrometer frequency)", "Every spectrum was preprocessed", "4 single-voxel spectra", "4 nights", "Govindaraju V",
		"Lin A, et al. Minimum Reporting Standards",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("methods.md lacks %q", want)
		}
	}
	if strings.Contains(string(md), "coil combination") {
		t.Errorf("methods.md describes coil combination for single-channel data")
	}
	tsv := readTSV(t, filepath.Join(out, "group", "mrsinmrs.tsv"))
	for _, c := range []struct{ scope, item, want string }{
		{"cohort", "a. Analysis software", "glusleep 9.9.9-test"},
		{"cohort", "d. Echo time TE (ms)", "30.0"},
		{"cohort", "d. Repetition time TR (ms)", "2000"},
		{"cohort", "c. Nominal VOI size", "20 × 20 × 20 mm (8.00 mL)"},
		{"cohort", "b. Volume of interest (VOI) location", "centre (1.0, 2.0, 3.0) mm RAS"},
		{"cohort", "f. Spectral width (Hz) and points", "2000 Hz, 1024 points"},
		{"cohort", "h. Shimming method and linewidth acceptance", "not recorded"},
		{"cohort", "b. Data exclusion criteria", "flagged when SNR < 3, NAA FWHM > 0.2 ppm or glx_tcr CRLB > 30%; primary analysis: QC-passed spectra only (all spectra as sensitivity analysis)"},
		{"sub-01/sub-01_svs.nii.gz", "c. Model (hardware and software version)", "Signa HDxt, 15M4"},
		{"sub-01/sub-01_svs.nii.gz", "d. RF coils: nuclei, number of channels, type, body part", "1H; channels combined before export; receive coil 8HRBRAIN; body part not recorded"},
		{"sub-02/sub-02_svs.nii.gz", "c. Model (hardware and software version)", "not recorded"},
	} {
		if v, ok := tsv[c.scope+"|"+c.item]; !ok || v != c.want {
			t.Errorf("mrsinmrs.tsv %s %q = %q, want %q", c.scope, c.item, v, c.want)
		}
	}
	if v := tsv["sub-01/sub-01_svs.nii.gz|g. Water suppression method and water reference"]; !strings.HasPrefix(v, "water suppression by CHESS;") {
		t.Errorf("water suppression from the sidecar: %q", v)
	}
	if v := tsv["sub-01/sub-01_svs.nii.gz|a. Pulse sequence"]; !strings.HasSuffix(v, "; outer volume suppression") {
		t.Errorf("sequence item %q", v)
	}
	// The averages item says what preprocessing recorded for the spectrum.
	var pq struct {
		QC struct {
			Rejected []int `json:"rejected"`
		} `json:"qc"`
	}
	b, err := os.ReadFile(filepath.Join(out, "sub-02", "mrs", "sub-02_desc-preprocqc_svs.json"))
	if err != nil || json.Unmarshal(b, &pq) != nil {
		t.Fatalf("preprocessing QC: %v", err)
	}
	want := fmt.Sprintf("16 transients stored; %d rejected as outliers, %d averaged", len(pq.QC.Rejected), 16-len(pq.QC.Rejected))
	if v := tsv["sub-02/sub-02_svs.nii.gz|e. Total number of excitations (averages)"]; v != want {
		t.Errorf("averages item %q, want %q", v, want)
	}
	// The basis and fit range items are what the participant level
	// recorded in the spectrum's QC.
	var fq struct {
		Basis string     `json:"basis"`
		Range [2]float64 `json:"fit_range_ppm"`
	}
	b, err = os.ReadFile(filepath.Join(out, "sub-02", "mrs", "sub-02_desc-qc_svs.json"))
	if err != nil || json.Unmarshal(b, &fq) != nil || fq.Basis == "" {
		t.Fatalf("fit QC: %v %s", err, b)
	}
	v := tsv["sub-02/sub-02_svs.nii.gz|d. Quantification references, assumptions and fitting model"]
	if !strings.Contains(v, "basis "+fq.Basis+";") || !strings.Contains(v, fmt.Sprintf("fitted %g–%g ppm", fq.Range[0], fq.Range[1])) || fq.Range != [2]float64{0.5, 3.9} {
		t.Errorf("fit model item %q (QC basis %q, range %v)", v, fq.Basis, fq.Range)
	}
	if !strings.Contains(string(md), fq.Basis) {
		t.Errorf("methods.md does not name the basis %q", fq.Basis)
	}
	html, _ := os.ReadFile(filepath.Join(out, "group", "report.html"))
	for _, want := range []string{"MRSinMRS checklist", "Methods", "QC sensitivity analysis", "primary: QC-passed spectra only", "sensitivity: all spectra"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// readTSV reads mrsinmrs.tsv into scope|item → value.
func readTSV(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 4 {
			t.Fatalf("row with %d cells: %q", len(c), sc.Text())
		}
		m[c[0]+"|"+c[2]] = c[3]
	}
	return m
}

// The methods name the first-order phase model the provenance records; a
// provenance without it (versions before 2026-12, which held it at 0) is
// reported as held, not as the present default.
func TestFitSummaryPhase1(t *testing.T) {
	for _, c := range []struct {
		phase1 string
		want   string
	}{
		{Phase1Fitted, "the zero-order and first-order phase fitted (the latter within ±20°/ppm about 4.65 ppm)"},
		{Phase1Held, "the zero-order phase fitted and the first-order phase held at 0°/ppm, with"},
		{"", "first-order phase held at 0°/ppm (glusleep's model before 2026-12; not recorded in provenance)"},
	} {
		s := DefaultSettings()
		s.Phase1 = c.phase1
		if got := fitSummary(s, [2]float64{}); !strings.Contains(got, c.want) {
			t.Errorf("Phase1 %q: %q lacks %q", c.phase1, got, c.want)
		}
	}
	var old Settings
	if err := json.Unmarshal([]byte(`{"fit_range_ppm":[0.2,4],"lipids":true}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Phase1 != "" {
		t.Errorf("old provenance settings read Phase1 %q, want empty", old.Phase1)
	}
	b, _ := json.Marshal(DefaultSettings())
	if !strings.Contains(string(b), `"phase1":"fitted"`) {
		t.Errorf("default settings JSON %s does not record the phase model", b)
	}
}
