package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/demo"
)

// Issue 15 acceptance: a demo-like dataset whose participants.tsv also
// holds a name, a birth date and a record number (distinctive bytes) is
// run through the participant and group levels, and none of those bytes
// is found in any file under the output folder; the group outputs say
// which columns were left out, and name files relative to the dataset.
func TestGroupOutputsCarryNoIdentifiers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo's clinical and MRS steps and the study on six participants")
	}
	t.Parallel()
	cfg := demo.Config{Out: t.TempDir(), Seed: 3, RLS: 3, Controls: 3}
	root, err := demo.Dataset(cfg, 6)
	if err != nil {
		t.Fatal(err)
	}
	ptsv := filepath.Join(root, "participants.tsv")
	b, err := os.ReadFile(ptsv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	var secrets []string
	for i := range lines {
		if i == 0 {
			lines[i] += "\tpatient_name\tbirth_date\tmedical_record_number"
			continue
		}
		name, birth, mrn := fmt.Sprintf("Qorvenhild Ytterbjorn-%c", 'A'+i), fmt.Sprintf("1937-08-%02d", 10+i), fmt.Sprintf("MRN-88%04d-ZX", 4711+i)
		lines[i] += "\t" + name + "\t" + birth + "\t" + mrn
		secrets = append(secrets, name, birth, mrn)
	}
	secrets = append(secrets, "Qorvenhild", "Ytterbjorn", "1937-08-", "MRN-88")
	if err := os.WriteFile(ptsv, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "derivatives")
	for _, level := range []string{"participant", "group"} {
		so, se, code := run(t, "run", root, out, level, "--n-cpus", "2")
		if code != 0 {
			t.Fatalf("%s level: exit %d\n%s\n%s", level, code, so, se)
		}
	}
	files := 0
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 {
		t.Errorf("only %d files under the output folder", files)
	}
	results, _ := os.ReadFile(filepath.Join(out, "group", "results.txt"))
	html, _ := os.ReadFile(filepath.Join(out, "group", "report.html"))
	for name, b := range map[string][]byte{"results.txt": results, "report.html": html} {
		if !strings.Contains(string(b), "left out of the group outputs") || !strings.Contains(string(b), "patient_name, birth_date, medical_record_number") {
			t.Errorf("%s does not name the columns left out", name)
		}
		for _, abs := range []string{root, out, cfg.Out} {
			if bytes.Contains(b, []byte(abs)) {
				t.Errorf("%s holds the absolute path %s", name, abs)
			}
		}
	}
	cohort, _ := os.ReadFile(filepath.Join(out, "group", "cohort.tsv"))
	if hdr, _, _ := strings.Cut(string(cohort), "\n"); !strings.HasPrefix(hdr, "participant_id\t") || !strings.Contains(hdr, "\tgroup\t") || strings.Contains(hdr, "patient_name") {
		t.Errorf("cohort header %q", hdr)
	}
}
