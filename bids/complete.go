package bids

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
	"glusleep/mrs/format/nifti"
	"glusleep/psg/edf"
)

// RawOptions say how CompleteRaw fills in a dataset's sidecars.
type RawOptions struct {
	// EEG holds what EDF headers do not say; an empty TaskName is taken
	// from each file's task- entity.
	EEG EEGOptions
	// Overwrite rewrites sidecars that exist; without it they are kept.
	Overwrite bool
}

var (
	reSubDir = regexp.MustCompile(`^sub-[0-9A-Za-z]+$`)
	reSesDir = regexp.MustCompile(`^ses-[0-9A-Za-z]+$`)
	reTask   = regexp.MustCompile(`_task-([0-9A-Za-z]+)`)
	reEEG    = regexp.MustCompile(`^(.*)_eeg\.(edf|bdf)$`)
	reMRS    = regexp.MustCompile(`^(.*)_(svs|mrsref|unloc|mrsi)\.nii(\.gz)?$`)
)

// CompleteRaw writes, for every recording in root/sub-*/[ses-*/]eeg/ and
// mrs/, the sidecars BIDS asks for that are missing: per EDF/BDF
// recording _eeg.json and _channels.tsv, per _events.tsv its _events.json,
// per NIfTI-MRS file its .json (a spectrum's ReferenceSignal points to the
// water reference of the same name, or to the folder's only one). It
// returns the files written, sorted.
func CompleteRaw(root string, opt RawOptions) ([]string, error) {
	subs, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", root, err)
	}
	var written []string
	for _, s := range subs {
		if !s.IsDir() || !reSubDir.MatchString(s.Name()) {
			continue
		}
		dirs := []string{filepath.Join(root, s.Name())}
		ents, err := os.ReadDir(dirs[0])
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if e.IsDir() && reSesDir.MatchString(e.Name()) {
				dirs = append(dirs, filepath.Join(dirs[0], e.Name()))
			}
		}
		for _, d := range dirs {
			w, err := completeEEG(filepath.Join(d, "eeg"), opt)
			if err != nil {
				return nil, err
			}
			written = append(written, w...)
			if w, err = completeMRS(root, filepath.Join(d, "mrs"), opt); err != nil {
				return nil, err
			}
			written = append(written, w...)
		}
	}
	sort.Strings(written)
	return written, nil
}

// listDir returns the file names of dir, none when it does not exist.
func listDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// needed reports whether path should be written.
func needed(path string, opt RawOptions) bool {
	if opt.Overwrite {
		return true
	}
	_, err := os.Stat(path)
	return errors.Is(err, os.ErrNotExist)
}

func completeEEG(dir string, opt RawOptions) ([]string, error) {
	names, err := listDir(dir)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, n := range names {
		if m := reEEG.FindStringSubmatch(strings.ToLower(n)); m != nil {
			stem := filepath.Join(dir, n[:len(m[1])])
			w, err := eegSidecars(filepath.Join(dir, n), stem, opt)
			if err != nil {
				return nil, err
			}
			written = append(written, w...)
		}
		if strings.HasSuffix(n, "_events.tsv") {
			side := filepath.Join(dir, strings.TrimSuffix(n, ".tsv")+".json")
			if !needed(side, opt) {
				continue
			}
			t, err := tsv.ReadFile(filepath.Join(dir, n), tsv.Limits{})
			if err != nil {
				return nil, err
			}
			cols, err := EventsColumns(t.Header, t.Rows)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(dir, n), err)
			}
			if err := WriteColumns(side, cols); err != nil {
				return nil, err
			}
			written = append(written, side)
		}
	}
	return written, nil
}

// eegSidecars writes stem_eeg.json and stem_channels.tsv of one recording.
func eegSidecars(path, stem string, opt RawOptions) ([]string, error) {
	js, ch := stem+"_eeg.json", stem+"_channels.tsv"
	if !needed(js, opt) && !needed(ch, opt) {
		return nil, nil
	}
	f, err := edf.Open(path, edf.Options{})
	if err != nil {
		return nil, err
	}
	h := f.Header
	f.Close()
	eo := opt.EEG
	if eo.TaskName == "" {
		m := reTask.FindStringSubmatch(filepath.Base(stem))
		if m == nil {
			return nil, fmt.Errorf("%s: no task- entity in the name (BIDS-EEG requires one)", path)
		}
		eo.TaskName = m[1]
	}
	side, chans, err := EEGFromEDF(&h, eo)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var written []string
	if needed(js, opt) {
		if err := writeJSON(js, side); err != nil {
			return nil, err
		}
		written = append(written, js)
	}
	if needed(ch, opt) {
		var b bytes.Buffer
		if err := WriteChannelsTSV(&b, chans); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if err := atomicfile.WriteFile(ch, b.Bytes(), 0o644); err != nil {
			return nil, err
		}
		written = append(written, ch)
	}
	return written, nil
}

func completeMRS(root, dir string, opt RawOptions) ([]string, error) {
	names, err := listDir(dir)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, n := range names {
		if m := reMRS.FindStringSubmatch(n); m != nil && m[2] == "mrsref" {
			refs[m[1]] = n
		}
	}
	var written []string
	for _, n := range names {
		m := reMRS.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		side := filepath.Join(dir, strings.TrimSuffix(strings.TrimSuffix(n, ".gz"), ".nii")+".json")
		if !needed(side, opt) {
			continue
		}
		f, err := nifti.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		mo := MRSOptions{Suffix: m[2], VoxelSize: [3]float64{f.Pixdim[1], f.Pixdim[2], f.Pixdim[3]}}
		ref := refs[m[1]]
		if ref == "" && len(refs) == 1 {
			for _, r := range refs {
				ref = r
			}
		}
		if ref != "" && m[2] != "mrsref" {
			rel, err := filepath.Rel(root, filepath.Join(dir, ref))
			if err != nil {
				return nil, err
			}
			mo.ReferenceSignal = "bids::" + filepath.ToSlash(rel)
		}
		s, err := MRSFromData(f.Data, mo)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, n), err)
		}
		if err := writeJSON(side, s); err != nil {
			return nil, err
		}
		written = append(written, side)
	}
	return written, nil
}
