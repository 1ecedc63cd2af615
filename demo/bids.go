package demo

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"glusleep/bids"
	"glusleep/internal/atomicfile"
	"glusleep/internal/pool"
)

// datasetREADME is the README of the demo's raw BIDS dataset.
const datasetREADME = `glusleep demo study (synthetic data)

A synthetic dataset in the shape of a study of thalamic glutamate (Glx/tCr,
single-voxel PRESS MRS at 1.5 T) and sleep in restless legs syndrome (RLS)
and controls, written by ` + "`glusleep demo`" + `. No data come from people.

Contents
- participants.tsv: age, sex and group of every participant.
- phenotype/: questionnaires (IRLSSG diagnostic criteria, IRLS, JHRLSS,
  RLS-6, PSQI, ESS, augmentation screening) as response codes, and
  medication records; every table lists every participant (n/a where an
  instrument was not administered).
- sub-<label>/mrs/: the water-suppressed spectrum (_svs) with its
  transients and the unsuppressed water reference (_mrsref), NIfTI-MRS,
  with BIDS-MRS sidecars.
- sub-<label>/eeg/: two scored nights (task-sleep, run-1 and run-2), a
  low-rate EEG derivation (EDF+), the hypnogram and scored leg movements
  and respiratory events as _events.tsv, with _eeg.json, _channels.tsv
  and _events.json.
- truth.tsv (listed in .bidsignore): the values the simulation used (true
  Glx/tCr, wake after sleep onset and periodic leg movement counts), for
  checking the pipeline's results.

The participant and group levels run with
` + "`glusleep run <this folder> <derivatives folder> participant|group`" + `.
`

// BIDS writes the study's raw BIDS dataset at root from the clinical and
// MRS steps' outputs: the MRS cohort's participants (the first n when
// n > 0), their rows of participants.tsv and the phenotype tables, each
// participant's raw spectrum and two nights, truth.tsv, and the BIDS
// metadata (dataset_description.json, README, .bidsignore,
// participants.json and every recording's sidecars). It returns the
// number of participants written.
func BIDS(cfg Config, clin *ClinicalResult, m *MRSCohortResult, root string, n int) (int, error) {
	if clin == nil || m == nil {
		return 0, fmt.Errorf("the study step needs the clinical and MRS steps' outputs")
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return 0, err
	}
	spectra := m.Spectra
	if n > 0 && n < len(spectra) {
		spectra = spectra[:n]
	}
	keep := map[string]bool{}
	for _, s := range spectra {
		keep[s.ID] = true
	}
	if err := copyTSVRows(clin.Participants, filepath.Join(root, "participants.tsv"), keep); err != nil {
		return 0, err
	}
	if err := copyFile(clin.ParticipantsJSON, filepath.Join(root, "participants.json")); err != nil {
		return 0, err
	}
	if err := copyPhenotype(filepath.Join(clin.BIDS, "phenotype"), filepath.Join(root, "phenotype"), keep); err != nil {
		return 0, err
	}
	truth := make([]string, len(spectra))
	errs := pool.Run(context.Background(), len(spectra), cfg.Workers, func(_ context.Context, i int) error {
		s := spectra[i]
		if err := copyRawSpectrum(m.RawDir, root, s.ID); err != nil {
			return err
		}
		nights, err := participantNights(cfg.Seed, root, s.ID, s.Group, s.TrueGlxTCr, clin.PLMCounts[s.ID], uint64(i))
		truth[i] = fmt.Sprintf("%s\t%s\t%.4f%s\n", s.ID, s.Group, s.TrueGlxTCr, nights)
		return err
	})
	if err := pool.First(errs); err != nil {
		return 0, err
	}
	tb := "participant_id\tgroup\ttrue_glx_tcr\ttrue_waso_night1_min\ttarget_plm_night1\ttrue_waso_night2_min\ttarget_plm_night2\n" + strings.Join(truth, "")
	if err := atomicfile.WriteFile(filepath.Join(root, "truth.tsv"), []byte(tb), 0o644); err != nil {
		return 0, err
	}
	return len(spectra), writeBIDSMetadata(root, cfg.Version)
}

// copyRawSpectrum copies participant id's raw acquisition (transients and
// water reference, NIfTI-MRS) from rawDir to root/id/mrs/.
func copyRawSpectrum(rawDir, root, id string) error {
	mdir := filepath.Join(root, id, "mrs")
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		return err
	}
	for _, suffix := range []string{"_svs.nii.gz", "_mrsref.nii.gz"} {
		if err := copyFile(filepath.Join(rawDir, id+suffix), filepath.Join(mdir, id+suffix)); err != nil {
			return err
		}
	}
	return nil
}

// writeBIDSMetadata writes the dataset-level files and every recording's
// sidecars of the demo dataset.
func writeBIDSMetadata(root, version string) error {
	err := bids.WriteDescription(root, bids.Description{
		Name:    "glusleep demo study (synthetic)",
		License: "CC0-1.0",
		Authors: []string{"glusleep contributors"},
		GeneratedBy: []bids.GeneratedBy{{Name: "glusleep", Version: version,
			Description: "glusleep demo: synthetic spectra, polysomnography and questionnaires"}},
	})
	if err != nil {
		return err
	}
	if err := bids.WriteREADME(root, datasetREADME); err != nil {
		return err
	}
	if err := bids.WriteBIDSIgnore(root, []string{"truth.tsv"}); err != nil {
		return err
	}
	_, err = bids.CompleteRaw(root, bids.RawOptions{Overwrite: true, EEG: bids.EEGOptions{
		TaskDescription:    "overnight polysomnography in the sleep laboratory, scored by AASM rules",
		PowerLineFrequency: 50, EEGPlacementScheme: "10-20",
		Manufacturer: "glusleep (synthetic)", EEGGround: "n/a (synthetic recording)"}})
	return err
}

// copyFile copies the file src to dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(dst, b, 0o644)
}

// copyTSVRows copies the TSV src to dst keeping the header and the rows
// whose participant_id (first column) is in keep.
func copyTSVRows(src, dst string, keep map[string]bool) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 0; sc.Scan(); line++ {
		id, _, _ := strings.Cut(sc.Text(), "\t")
		if line == 0 || keep[id] {
			b.WriteString(sc.Text() + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	return atomicfile.WriteFile(dst, []byte(b.String()), 0o644)
}

// copyPhenotype copies a phenotype folder: its JSON sidecars, and its TSV
// tables with only the rows of the participants in keep.
func copyPhenotype(src, dst string, keep map[string]bool) error {
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range ents {
		s, d := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		switch {
		case !e.Type().IsRegular():
		case strings.HasSuffix(e.Name(), ".tsv"):
			err = copyTSVRows(s, d, keep)
		default:
			err = copyFile(s, d)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Dataset runs the steps a raw study dataset needs (Clinical, MRSCohort,
// then BIDS with the first n participants when n > 0) and returns the
// dataset's root, cfg.Out/bids: a small BIDS study for trying `glusleep
// run` or for tests.
func Dataset(cfg Config, n int) (string, error) {
	clin, err := Clinical(cfg)
	if err != nil {
		return "", err
	}
	m, err := MRSCohort(cfg, clin)
	if err != nil {
		return "", err
	}
	root := filepath.Join(cfg.Out, "bids")
	_, err = BIDS(cfg, clin, m, root, n)
	return root, err
}
