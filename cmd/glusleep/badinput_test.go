package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"glusleep/mrs/format/mrsio"
)

// badCase is one command run on one damaged input.
type badCase struct {
	// name is the command and input; args the command line.
	name string
	args []string
	// file is what the error line must name (a file's base name, or a
	// flag).
	file string
	// readable marks damage that leaves a usable input: the command may
	// succeed, and check then verifies its numbers.
	readable bool
	check    func(t *testing.T, stdout, stderr string)
	long     bool
}

// damage returns damaged versions of a sound file's bytes: empty, 4 kB
// of random bytes, and cut at each offset (negative: from the end).
func damage(good []byte, offsets ...int) map[string][]byte {
	rng := rand.New(rand.NewPCG(15, 15))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	out := map[string][]byte{"empty": nil, "random": random}
	for _, o := range offsets {
		if o < 0 {
			o += len(good)
		}
		if o > 0 && o < len(good) {
			out[fmt.Sprintf("truncated-%d", o)] = good[:o]
		}
	}
	return out
}

// runCaught runs a command line in-process, turning a panic into a test
// failure (the bad-input corpus must cause none).
func runCaught(t *testing.T, args []string) (code int, stdout, stderr string) {
	t.Helper()
	var so, se bytes.Buffer
	defer func() {
		if v := recover(); v != nil {
			t.Errorf("panic: %v\n%s", v, debug.Stack())
			code = -1
		}
		stdout, stderr = so.String(), se.String()
	}()
	code = runMain(&cmdEnv{stdout: &so, stderr: &se}, args)
	return code, so.String(), se.String()
}

// mrsBadCases runs every MRS command on every file of the MRS readers'
// committed corpus (the Philips .SPAR files are the .SDAT files' headers).
func mrsBadCases(t *testing.T) []badCase {
	ents, err := os.ReadDir(badInputDir)
	if err != nil {
		t.Fatal(err)
	}
	read := []string{"--dwell", "0.00025", "--spectrometer-frequency", "123.2"}
	var cases []badCase
	for _, e := range ents {
		n := e.Name()
		if strings.HasSuffix(n, ".SPAR") || n == "README.md" {
			continue
		}
		in := filepath.Join(badInputDir, n)
		readable := strings.Contains(n, "-readable-")
		var check func(t *testing.T, so, se string)
		if readable {
			check = func(t *testing.T, so, se string) {
				ds, err := mrsio.Read(in, mrsio.Options{Dwell: 0.00025, SpectrometerFrequency: 123.2})
				if err != nil {
					t.Fatal(err)
				}
				if want := fmt.Sprintf("%d points", ds.Data.Points()); !strings.Contains(so, want) && !strings.Contains(so, "_svs") && !strings.Contains(so, "_fit.tsv") && !strings.Contains(so, "→") {
					t.Errorf("output lacks %q:\n%s", want, so)
				}
			}
		}
		out := t.TempDir()
		cases = append(cases,
			badCase{name: "mrs info " + n, args: append([]string{"mrs", "info", in}, read...), file: n, readable: readable, check: check},
			badCase{name: "mrs convert " + n, args: append([]string{"mrs", "convert", in, filepath.Join(out, "c_svs.nii.gz")}, read...), file: n, readable: readable},
			badCase{name: "mrs preproc " + n, args: append([]string{"mrs", "preproc", in, "--out", out}, read...), file: n, readable: readable, long: readable},
			badCase{name: "mrs fit " + n, args: append([]string{"mrs", "fit", "--simulate", "--out", out, in}, read...), file: n, readable: readable, long: readable},
		)
	}
	return cases
}

// psgBadCases damages an EDF+ recording (cuts in the fixed header, the
// signal headers and the data; a not-a-number physical minimum; record
// durations 1e-300 and -1; a record count far beyond the file) and two
// scoring files (a BIDS _events.tsv and a native Embla XML export), and
// runs every PSG command that reads them.
func psgBadCases(t *testing.T) []badCase {
	dir := t.TempDir()
	good := readFile(t, identifiedEDF(t))
	edfs := damage(good, 100, 255, 256+100, 512, len(good)/2, -1)
	field := func(off, n int, v string) []byte {
		b := append([]byte(nil), good...)
		copy(b[off:off+n], fmt.Sprintf("%-*s", n, v))
		return b
	}
	// Fixed header: records at 236 (8 bytes), record duration at 244 (8);
	// signal headers from 256: label 16, transducer 80, dimension 8, then
	// physical minimum (8 per signal).
	ns := len(good)/1 - len(good) + int(good[252]-'0') // signals (one digit here)
	edfs["physical-min-nan"] = field(256+ns*(16+80+8), 8, "nan")
	edfs["record-duration-1e-300"] = field(244, 8, "1e-300")
	edfs["record-duration-negative"] = field(244, 8, "-1")
	edfs["records-bomb"] = field(236, 8, "99999999")
	var cases []badCase
	for _, k := range sortedKeys(edfs) {
		n := "night-" + k + ".edf"
		p := writeFile(t, dir, n, edfs[k])
		out := t.TempDir()
		cases = append(cases,
			// psg info describes a damaged file: exit 0 is right when it
			// says the file is truncated.
			badCase{name: "psg info " + n, args: []string{"psg", "info", p}, file: n, readable: true, check: says("truncated")},
			badCase{name: "psg export " + n, args: []string{"psg", "export", p, "--out", filepath.Join(out, "x.npy")}, file: n},
			badCase{name: "psg legs " + n, args: []string{"psg", "legs", p, "--left", "EEG Cz", "--out", out}, file: n},
			badCase{name: "psg sleep " + n, args: []string{"psg", "sleep", "--hypnogram", p, "--out", out}, file: n},
		)
	}
	events := damage([]byte(stageEvents), 20, len(stageEvents)/2, -2)
	events["nan-onset"] = []byte(strings.Replace(stageEvents, "\n60\t", "\nNaN\t", 1))
	events["inf-duration"] = []byte(strings.Replace(stageEvents, "\t30\tsleep_stage\tN1", "\tInf\tsleep_stage\tN1", 1))
	fh, err := os.Open("../../psg/annot/testdata/embla_10007_eventexport.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	z, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	embla, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	xmls := damage(embla, 200, len(embla)/3, len(embla)/2, -20)
	for _, k := range sortedKeys(events) {
		n := "night-" + k + "_events.tsv"
		c := badCase{name: "psg sleep " + n, args: []string{"psg", "sleep", "--hypnogram", writeFile(t, dir, n, events[k]), "--out", t.TempDir()}, file: n}
		if k == fmt.Sprintf("truncated-%d", len(stageEvents)/2) || k == fmt.Sprintf("truncated-%d", len(stageEvents)-2) {
			// Cut inside the last row's stage: the five whole epochs
			// W N1 N2 N2 R are read, 4 of them sleep (2.0 min).
			c.readable, c.check = true, says("TST 2.0 min")
		}
		cases = append(cases, c)
	}
	for _, k := range sortedKeys(xmls) {
		n := "embla-" + k + ".xml"
		cases = append(cases, badCase{name: "psg sleep " + n, args: []string{"psg", "sleep", "--hypnogram", writeFile(t, dir, n, xmls[k]), "--out", t.TempDir()}, file: n})
	}
	return cases
}

// says checks that stdout or stderr holds want.
func says(want string) func(t *testing.T, so, se string) {
	return func(t *testing.T, so, se string) {
		if !strings.Contains(so+se, want) {
			t.Errorf("output lacks %q:\n%s%s", want, so, se)
		}
	}
}

func sortedKeys(m map[string][]byte) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

// tableBadCases damages the tables the clinical and stats commands read:
// a phenotype questionnaire, participants.tsv for screening, and a
// two-group table for stats ttest (also with NaN and Inf values).
func tableBadCases(t *testing.T) []badCase {
	dir := t.TempDir()
	var cases []badCase
	irls := readFile(t, "../../clinical/testdata/bids/phenotype/irls.tsv")
	ph := damage(irls, len(irls)/3, len(irls)/2, -3)
	lines := strings.SplitN(string(irls), "\n", 3)
	cells := strings.Split(lines[1], "\t")
	cells[1] = "NaN"
	ph["nan-answer"] = []byte(lines[0] + "\n" + strings.Join(cells, "\t") + "\n" + lines[2])
	ph["cut-in-header"] = irls[:len(lines[0])/2] // no participant rows: refused, not an empty score table
	for _, k := range sortedKeys(ph) {
		sub := filepath.Join(dir, "pheno-"+k)
		n := "irls.tsv"
		p := writeFile(t, sub, n, ph[k])
		writeFile(t, sub, "irls.json", readFile(t, "../../clinical/testdata/bids/phenotype/irls.json"))
		c := badCase{name: "clinical score irls " + k, args: []string{"clinical", "score", p, "--out", t.TempDir()}, file: n}
		if k == "nan-answer" { // an input issue: reported, the item scored as missing
			c.readable, c.check = true, says("input issues")
		}
		cases = append(cases, c)
	}
	parts := readFile(t, "../../clinical/testdata/bids/participants.tsv")
	pp := damage(parts, 20, len(parts)/2, -2)
	protos, _ := filepath.Glob("../../clinical/testdata/protocol/*.json")
	if len(protos) == 0 {
		t.Fatal("no clinical test protocol")
	}
	for _, k := range sortedKeys(pp) {
		p := writeFile(t, filepath.Join(dir, "screen-"+k), "participants.tsv", pp[k])
		cases = append(cases, badCase{name: "clinical screen participants.tsv " + k, args: []string{"clinical", "screen", "--protocol", protos[0], p, "--out", t.TempDir()}, file: "participants.tsv"})
	}
	table := "group\tvalue\nrls\t1.2\nrls\t1.3\nrls\t1.1\ncontrol\t0.8\ncontrol\t0.9\ncontrol\t0.7\n"
	tt := damage([]byte(table), 8, len(table)/2, -1)
	tt["nan-value"] = []byte(strings.Replace(table, "1.3", "NaN", 1))
	tt["inf-value"] = []byte(strings.Replace(table, "1.3", "Inf", 1))
	for _, k := range sortedKeys(tt) {
		n := "table-" + k + ".tsv"
		c := badCase{name: "stats ttest " + n, args: []string{"stats", "ttest", writeFile(t, dir, n, tt[k]), "--value", "value", "--group", "group"}, file: n}
		switch k {
		case "nan-value":
			// NaN is a missing value (as R's t.test drops it): Welch's
			// test of 0.8, 0.9, 0.7 against 1.2, 1.1 by hand gives
			// t = -0.35/√(0.01/3 + 0.005/2) = -4.58 on 2.88 df.
			c.readable, c.check = true, says("n = 2): Welch Two Sample t-test, t(2.88) = -4.58")
		case fmt.Sprintf("truncated-%d", len(table)-1):
			// Only the final newline lost: the same numbers as the
			// whole table (t = -0.4/√(0.01/3+0.01/3) = -4.90, 4 df).
			c.readable, c.check = true, says("t(4) = -4.90")
		}
		cases = append(cases, c)
	}
	return cases
}

// unitCases are times, fields and sizes typed in the wrong unit.
func unitCases(t *testing.T) []badCase {
	in := smallSpectrum(t, filepath.Join(t.TempDir(), "s_svs.nii.gz"))
	out := t.TempDir()
	basis := []string{"mrs", "basis", "--sequence", "press", "--field", "3", "--dwell", "0.0004", "--points", "2048", "--out", filepath.Join(out, "b.BASIS")}
	with := func(args []string, flag, v string) []string {
		a := append([]string(nil), args...)
		for i := range a {
			if a[i] == flag {
				a[i+1] = v
				return a
			}
		}
		return append(a, flag, v)
	}
	return []badCase{
		{name: "mrs info --te s", args: []string{"mrs", "info", in, "--te", "0.03"}, file: "--te"},
		{name: "mrs convert --te s", args: []string{"mrs", "convert", in, filepath.Join(out, "c.nii.gz"), "--te", "0.03"}, file: "--te"},
		{name: "mrs preproc --te s", args: []string{"mrs", "preproc", in, "--out", out, "--te", "0.03"}, file: "--te"},
		{name: "mrs fit --te s", args: []string{"mrs", "fit", "--simulate", "--out", out, in, "--te", "0.03"}, file: "--te"},
		{name: "mrs fit --tr s", args: []string{"mrs", "fit", "--simulate", "--out", out, in, "--tr", "2"}, file: "--tr"},
		{name: "mrs fit --dwell µs", args: []string{"mrs", "fit", "--simulate", "--out", out, in, "--dwell", "250"}, file: "--dwell"},
		{name: "mrs basis --te s", args: with(basis, "--te", "0.03"), file: "--te"},
		{name: "mrs basis --field MHz", args: with(with(basis, "--te", "30"), "--field", "123.2"), file: "--field"},
		{name: "mrs basis --dwell µs", args: with(with(basis, "--te", "30"), "--dwell", "400"), file: "--dwell"},
		{name: "mrs basis --points bomb", args: with(with(basis, "--te", "30"), "--points", "99999999"), file: "--points"},
		{name: "mrs basis STEAM --tm s", args: with(with(with(basis, "--sequence", "steam"), "--te", "20"), "--tm", "0.01"), file: "--tm"},
	}
}

// runBadCases runs both pipeline levels on datasets with a damaged
// participants.tsv, spectrum or recording.
func runBadCases(t *testing.T) []badCase {
	var cases []badCase
	parts := []byte("participant_id\tgroup\nsub-01\trls\n")
	damaged := damage(parts, 5, 26) // in the header; in the row (a ragged row)
	for _, k := range sortedKeys(damaged) {
		root := studyDataset(t)
		writeFile(t, root, "participants.tsv", damaged[k])
		for _, level := range []string{"participant", "group"} {
			cases = append(cases, badCase{name: "run " + level + " participants.tsv " + k, args: []string{"run", root, t.TempDir(), level}, file: "participants.tsv"})
		}
	}
	for _, n := range []string{"nifti-empty.nii", "nifti-random.nii", "nifti-nan.nii", "nifti-inf.nii", "nifti-gz-truncated-363.nii", "nifti-dims-bomb.nii", "nifti-bomb-64MiB-tail.nii.gz"} {
		root := studyDataset(t)
		ext := ".nii"
		if strings.HasSuffix(n, ".gz") {
			ext = ".nii.gz"
		}
		writeFile(t, root, "sub-01/mrs/sub-01_svs"+ext, readFile(t, filepath.Join(badInputDir, n)))
		cases = append(cases, badCase{name: "run participant spectrum " + n, args: []string{"run", root, t.TempDir(), "participant", "--participant-label", "01"}, file: "sub-01_svs" + ext})
	}
	good := readFile(t, identifiedEDF(t))
	for k, b := range damage(good, 100, 300, -1) {
		root := studyDataset(t)
		writeFile(t, root, "sub-01/eeg/sub-01_task-sleep_eeg.edf", b)
		cases = append(cases, badCase{name: "run participant EDF " + k, args: []string{"run", root, t.TempDir(), "participant", "--participant-label", "01"}, file: "sub-01_task-sleep_eeg.edf"})
	}
	return cases
}

// Issue 15 acceptance: every reader and command on damaged input (empty,
// random bytes, cut at several offsets, NaN/Inf samples, size bombs,
// wrong units) ends with a non-zero exit and a first error line naming the
// file or flag, or — for damage that leaves the data usable — succeeds
// with the numbers the reader gives; none panics.
func TestBadInputCommands(t *testing.T) {
	t.Parallel()
	var cases []badCase
	for _, f := range []func(*testing.T) []badCase{mrsBadCases, psgBadCases, tableBadCases, unitCases, runBadCases} {
		cases = append(cases, f(t)...)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.long && testing.Short() {
				t.Skip("fits or preprocesses a readable spectrum")
			}
			code, so, se := runCaught(t, c.args)
			t.Logf("exit %d: %s", code, strings.TrimSpace(se))
			if code == 0 {
				if !c.readable {
					t.Errorf("exit 0 on damaged input\nstdout: %s\nstderr: %s", so, se)
				} else if c.check != nil {
					c.check(t, so, se)
				}
				return
			}
			// The error line: the first line starting "glusleep " (run
			// logs progress lines before it, one per participant).
			var line string
			for _, l := range strings.Split(se, "\n") {
				if strings.HasPrefix(l, "glusleep ") {
					line = l
					break
				}
			}
			if !strings.Contains(line, c.file) {
				t.Errorf("error line %q does not name %s\nstderr: %s", line, c.file, se)
			}
			if strings.Contains(se, "goroutine ") || strings.Contains(se, "panic") {
				t.Errorf("stderr shows a panic:\n%s", se)
			}
		})
	}
}
