package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/nifti"
	"glusleep/synth"
)

// badInputDir is the MRS readers' committed bad-input corpus
// (mrs/format/mrsio/testdata/badinput, made by its corpus_test.go).
const badInputDir = "../../mrs/format/mrsio/testdata/badinput"

// writeFile writes content to dir/rel, making its folders, and returns
// the path.
func writeFile(t *testing.T, dir, rel string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smallSpectrum writes a sound 64-point NIfTI-MRS spectrum to path.
func smallSpectrum(t *testing.T, path string) string {
	t.Helper()
	fid := make([]complex128, 64)
	for k := range fid {
		fid[k] = complex(100/float64(k+1), 0)
	}
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, EchoTime: 0.03, Nucleus: "1H"}
	if err := nifti.WriteData(path, &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	return path
}

// stageEvents is a BIDS _events.tsv hypnogram: W N1 N2 N2 R W.
const stageEvents = "onset\tduration\ttrial_type\tstage\n0\t30\tsleep_stage\tW\n30\t30\tsleep_stage\tN1\n60\t30\tsleep_stage\tN2\n90\t30\tsleep_stage\tN2\n120\t30\tsleep_stage\tR\n150\t30\tsleep_stage\tW\n"

// studyDataset writes a BIDS dataset of four participants, each with a
// scored night: sub-01 sound; sub-02's EDF cut short by ten bytes; sub-03's
// spectrum a 68 kB .nii.gz declaring 2 GiB; sub-04's LCModel .RAW in
// sourcedata cut in the middle of a number.
func studyDataset(t *testing.T) string {
	root := t.TempDir()
	writeFile(t, root, "dataset_description.json", []byte(`{"Name": "failure modes", "BIDSVersion": "1.10.0"}`))
	writeFile(t, root, "participants.tsv", []byte("participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\nsub-03\trls\nsub-04\tcontrol\n"))
	edfBytes := readFile(t, identifiedEDF(t))
	for _, id := range []string{"sub-01", "sub-02", "sub-03", "sub-04"} {
		b := edfBytes
		if id == "sub-02" {
			b = b[:len(b)-10]
		}
		writeFile(t, root, id+"/eeg/"+id+"_task-sleep_eeg.edf", b)
		writeFile(t, root, id+"/eeg/"+id+"_task-sleep_events.tsv", []byte(stageEvents))
	}
	writeFile(t, root, "sub-03/mrs/sub-03_svs.nii.gz", readFile(t, filepath.Join(badInputDir, "nifti-bomb-2GiB-declared.nii.gz")))
	writeFile(t, root, "sourcedata/sub-04/mrs/thal.RAW", readFile(t, filepath.Join(badInputDir, "lcmodel-truncated-mid-number.RAW")))
	writeFile(t, root, "sourcedata/sub-04/mrs/thal.json", []byte(`{"SpectrometerFrequency": 123.2, "Dwell": 0.00025, "EchoTime": 0.03}`))
	return root
}

// creatineFreeSpectrum writes a 1.5 T PRESS TE 30 ms spectrum of NAA and
// glutamate only, as a creatine-free phantom would give: its fit finds
// almost no creatine, and ratios to it far outside any brain's.
func creatineFreeSpectrum(t *testing.T, dir string) string {
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 1.0 / 2500, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H", Vendor: "GE"}
	an, err := analysis.New(analysis.Settings{Lipids: true})
	if err != nil {
		t.Fatal(err)
	}
	set, err := an.Basis(p, 2048)
	if err != nil {
		t.Fatal(err)
	}
	spec := synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: p.Dwell, Amplitudes: map[string]float64{"NAA": 10, "Glu": 8},
		LorentzHz: 3, GaussHz: 3, NoiseSD: 2}
	fid, _, err := synth.Spectrum(spec, rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "nocr_svs.nii.gz")
	if err := nifti.WriteData(path, &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	return path
}

// failureCase is one failure mode: the command line (made in the test's
// temporary folders), the exit status, what stderr must say, and further
// checks.
type failureCase struct {
	name  string
	long  bool // skipped with -short
	args  func(t *testing.T) []string
	code  int
	want  []string
	check func(t *testing.T, args []string, stdout, stderr string)
}

// The failure modes of issue 15's "Why", each with its exit status and
// message: ordinary mistakes and damaged inputs end with a non-zero exit
// and a line naming the file (or the flag) and the problem, an implausible
// result with a warning line, and the pipeline's exits say what failed.
func TestFailureModes(t *testing.T) {
	for _, c := range failureCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.long && testing.Short() {
				t.Skip("fits a spectrum")
			}
			args := c.args(t)
			var so, se bytes.Buffer
			code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, so.String(), se.String())
			}
			for _, w := range c.want {
				if !strings.Contains(se.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, se.String())
				}
			}
			if strings.Contains(se.String(), "panic") || strings.Contains(se.String(), "goroutine") {
				t.Errorf("stderr shows a panic:\n%s", se.String())
			}
			if c.check != nil {
				c.check(t, args, so.String(), se.String())
			}
		})
	}
}

func failureCases() []failureCase {
	return []failureCase{
		{name: "mrs fit --te typed in s", code: 2, want: []string{"--te 0.03 ms", "5–1000 ms", "did you mean --te 30"},
			args: func(t *testing.T) []string {
				return []string{"mrs", "fit", "--simulate", "--te", "0.03", "--out", t.TempDir(), smallSpectrum(t, filepath.Join(t.TempDir(), "a.nii"))}
			}},
		{name: "mrs basis --te typed in s", code: 2, want: []string{"--te 0.03 ms", "did you mean --te 30"},
			args: func(t *testing.T) []string {
				return []string{"mrs", "basis", "--sequence", "press", "--te", "0.03", "--field", "3", "--dwell", "0.0004", "--points", "2048", "--out", filepath.Join(t.TempDir(), "x.BASIS")}
			}},
		{name: "mrs basis --points 99999999", code: 2, want: []string{"--points 99999999", "64–65536"},
			args: func(t *testing.T) []string {
				return []string{"mrs", "basis", "--sequence", "press", "--te", "30", "--field", "3", "--dwell", "0.0004", "--points", "99999999", "--out", filepath.Join(t.TempDir(), "x.BASIS")}
			}},
		{name: "hypnogram EDF cut by one byte", code: 1, want: []string{"cut-Hypnogram.edf", "truncated", "--allow-truncated"},
			args: func(t *testing.T) []string {
				b := readFile(t, hypnogramEDF(t))
				return []string{"psg", "sleep", "--hypnogram", writeFile(t, t.TempDir(), "cut-Hypnogram.edf", b[:len(b)-1]), "--out", t.TempDir()}
			}},
		{name: "XML scoring of an unknown dialect", code: 1, want: []string{"scores.xml", "<Scoring>", "Embla XML (EventExport)", "NSRR XML"},
			args: func(t *testing.T) []string {
				xml := "<?xml version=\"1.0\"?>\n<Scoring><Epoch stage=\"2\"/></Scoring>\n"
				return []string{"psg", "sleep", "--hypnogram", writeFile(t, t.TempDir(), "scores.xml", []byte(xml)), "--out", t.TempDir()}
			}},
		{name: "LCModel .RAW cut mid-number", code: 1, want: []string{"lcmodel-last-number-cut.RAW", "cut short"},
			args: func(t *testing.T) []string {
				return []string{"mrs", "info", filepath.Join(badInputDir, "lcmodel-last-number-cut.RAW")}
			}},
		{name: ".nii.gz unpacking to 2 GiB", code: 1, want: []string{"nifti-bomb-2GiB-declared.nii.gz", "read budget"},
			args: func(t *testing.T) []string {
				return []string{"mrs", "info", filepath.Join(badInputDir, "nifti-bomb-2GiB-declared.nii.gz")}
			}},
		{name: "EDF record duration 1e-300", code: 1, want: []string{"tiny.edf", "duration of a data record"},
			args: func(t *testing.T) []string {
				b := readFile(t, identifiedEDF(t))
				copy(b[244:252], "1e-300  ")
				return []string{"psg", "legs", writeFile(t, t.TempDir(), "tiny.edf", b), "--left", "EEG Cz", "--out", t.TempDir()}
			}},
		{name: "mrs convert IN IN", code: 1, want: []string{"sub-01_svs.nii.gz", "would overwrite the input"},
			args: func(t *testing.T) []string {
				in := smallSpectrum(t, filepath.Join(t.TempDir(), "sub-01_svs.nii.gz"))
				return []string{"mrs", "convert", in, in}
			},
			check: unchangedInputs},
		{name: "mrs convert onto the input's water reference", code: 1, want: []string{"sub-01_mrsref.nii.gz", "would overwrite the input"},
			args: func(t *testing.T) []string {
				dir := t.TempDir()
				in := smallSpectrum(t, filepath.Join(dir, "sub-01_svs.nii.gz"))
				smallSpectrum(t, filepath.Join(dir, "sub-01_mrsref.nii.gz"))
				// Output sub-01.nii.gz puts its water reference at
				// sub-01_mrsref.nii.gz: the input's own.
				return []string{"mrs", "convert", in, filepath.Join(dir, "sub-01.nii.gz")}
			},
			check: func(t *testing.T, args []string, so, se string) {
				if _, err := os.Stat(args[3]); err == nil {
					t.Errorf("%s written before the refusal", args[3])
				}
			}},
		{name: "implausible fit (no creatine)", long: true, code: 0, want: []string{"warning: nocr_svs.nii.gz: ratio_implausible: tNAA/tCr", "warning: nocr_svs.nii.gz: ratio_implausible: Glx/tCr"},
			args: func(t *testing.T) []string {
				return []string{"mrs", "fit", "--simulate", "--out", t.TempDir(), creatineFreeSpectrum(t, t.TempDir())}
			},
			check: func(t *testing.T, args []string, so, se string) {
				var q analysis.QC
				if err := json.Unmarshal(readFile(t, filepath.Join(args[4], "nocr_svs_qc.json")), &q); err != nil {
					t.Fatal(err)
				}
				if len(q.Flags) == 0 || q.Flags[0].Name != "ratio_implausible" {
					t.Errorf("_qc.json flags %+v", q.Flags)
				}
			}},
		{name: "run participant with damaged files", code: 1,
			want: []string{"glusleep run: sub-02 failed: sub-02/eeg/sub-02_task-sleep_eeg.edf", "truncated",
				"glusleep run: sub-03 failed: ", "sub-03_svs.nii.gz", "read budget",
				"glusleep run: sub-04 failed: ", "thal.RAW", "3 of 4 participants failed"},
			args: func(t *testing.T) []string {
				return []string{"run", studyDataset(t), t.TempDir(), "participant", "--n-cpus", "2"}
			},
			check: func(t *testing.T, args []string, so, se string) {
				out := args[2]
				if !strings.Contains(so, "1 done, 0 skipped (unchanged), 3 failed") {
					t.Errorf("stdout %q", so)
				}
				if strings.Contains(se, args[1]) {
					t.Errorf("failures name files by absolute path:\n%s", se)
				}
				for _, l := range strings.Split(strings.TrimSpace(se), "\n") {
					if strings.HasPrefix(l, "glusleep run: sub-") && strings.Count(l, "failed:") != 1 {
						t.Errorf("line %q", l)
					}
				}
				if _, err := os.Stat(filepath.Join(out, "sub-01", "provenance.json")); err != nil {
					t.Errorf("sound sub-01 not finished: %v", err)
				}
				for _, id := range []string{"sub-02", "sub-03", "sub-04"} {
					if _, err := os.Stat(filepath.Join(out, id)); err == nil {
						t.Errorf("failed %s has an output folder", id)
					}
				}
				left, _ := os.ReadDir(filepath.Join(out, ".work"))
				if len(left) != 0 {
					t.Errorf("left in .work: %v", left)
				}
				if st, err := os.Stat(filepath.Join(out, "sub-01")); err != nil || st.Mode().Perm()&0o055 == 0 {
					t.Errorf("sub-01 folder not readable by others under umask 022: %v", st.Mode())
				}
				// The group level now refuses the three without outputs.
				var so2, se2 bytes.Buffer
				code := runMain(&cmdEnv{stdout: &so2, stderr: &se2}, []string{"run", args[1], out, "group"})
				if code != 1 || !strings.Contains(se2.String(), "3 of 4 participants have no participant-level outputs") || !strings.Contains(se2.String(), "--allow-missing") {
					t.Errorf("group: exit %d %s", code, se2.String())
				}
			}},
		{name: "run group before the participant level", code: 1, want: []string{"4 of 4 participants have no participant-level outputs", "run the participant level first"},
			args: func(t *testing.T) []string { return []string{"run", studyDataset(t), t.TempDir(), "group"} },
			check: func(t *testing.T, args []string, so, se string) {
				if _, err := os.Stat(filepath.Join(args[2], "group", "report.html")); err == nil {
					t.Error("report written")
				}
			}},
		{name: "run on a folder that is not BIDS", code: 1, want: []string{"is not a BIDS dataset", "no dataset_description.json, no participants.tsv, no sub-<label>/ folders"},
			args: func(t *testing.T) []string {
				dir := t.TempDir()
				writeFile(t, dir, "scans/night1.edf", readFile(t, identifiedEDF(t)))
				return []string{"run", dir, t.TempDir(), "participant"}
			}},
		{name: "two runs on one output folder", code: 1, want: []string{"sub-01 failed", "held by another glusleep run", "pid"},
			args: func(t *testing.T) []string {
				out := t.TempDir()
				host, _ := os.Hostname()
				writeFile(t, out, ".work/sub-01.lock", []byte(strings.Join([]string{itoaPID(), host, "2026-12-01T00:00:00Z"}, " ")+"\n"))
				return []string{"run", studyDataset(t), out, "participant", "--participant-label", "01"}
			}},
		{name: "work folders of a killed run", code: 0, want: []string{"removed .work/sub-01-0123abcd, left by a run that was stopped"},
			args: func(t *testing.T) []string {
				out := t.TempDir()
				writeFile(t, out, ".work/sub-01-0123abcd/sub-01_fit.tsv", []byte("half"))
				return []string{"run", studyDataset(t), out, "participant", "--participant-label", "01"}
			},
			check: func(t *testing.T, args []string, so, se string) {
				if _, err := os.Stat(filepath.Join(args[2], ".work", "sub-01-0123abcd")); err == nil {
					t.Error("stale work folder kept")
				}
			}},
	}
}

func itoaPID() string {
	b, _ := json.Marshal(os.Getpid())
	return string(b)
}

// unchangedInputs checks that a refused conversion left its input as it was.
func unchangedInputs(t *testing.T, args []string, so, se string) {
	var d *mrs.Data
	d, err := nifti.ReadData(args[2])
	if err != nil || len(d.FIDs) != 1 || real(d.FIDs[0][0]) != 100 {
		t.Errorf("input changed: %v", err)
	}
}
