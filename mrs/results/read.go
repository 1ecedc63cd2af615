package results

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadFile reads one result file, its format chosen by name: LCModel
// .table, .coord or .csv (a .csv named summary.csv is FSL-MRS's), or an
// Osprey QuantifyResults table (<spectrum>_<quantity>_Voxel_N_Basis_M.tsv;
// rows named from subject_names_and_excluded.tsv in the folder above when it
// exists).
func ReadFile(path string) ([]*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	base := filepath.Base(path)
	ext := strings.ToLower(filepath.Ext(base))
	one := func(r *Result, err error) ([]*Result, error) {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return []*Result{r}, nil
	}
	switch {
	case ext == ".table":
		return one(ReadLCModelTable(f))
	case ext == ".coord":
		return one(ReadLCModelCoord(f))
	case base == "summary.csv":
		return one(ReadFSLMRSSummary(f))
	case ext == ".csv":
		rs, err := ReadLCModelCSV(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return rs, nil
	case ext == ".tsv":
		q := ospreyQuantity(base)
		if q == "" {
			return nil, fmt.Errorf("%s: %w: a .tsv is read as an Osprey table named <spectrum>_<quantity>_Voxel_N_Basis_M.tsv", path, ErrFormat)
		}
		ids, _ := ospreyIDs(filepath.Join(filepath.Dir(path), "..", "subject_names_and_excluded.tsv"))
		rs, err := ReadOspreyTable(f, q, ids)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return rs, nil
	}
	return nil, fmt.Errorf("%s: %w (read: LCModel .table/.coord/.csv, FSL-MRS summary.csv, Osprey QuantifyResults .tsv)", path, ErrFormat)
}

// ospreyQuantity returns the quantity of an Osprey table's file name, or "".
func ospreyQuantity(base string) string {
	name := strings.TrimSuffix(base, filepath.Ext(base))
	i := strings.Index(name, "_Voxel_")
	if i < 0 {
		return ""
	}
	for _, q := range OspreyQuantities {
		if strings.HasSuffix(name[:i], "_"+q) {
			return q
		}
	}
	return ""
}

// ospreyIDs reads the first column of Osprey's subject list (header
// skipped).
func ospreyIDs(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ids []string
	for i, l := range lines(string(b)) {
		if i == 0 || strings.TrimSpace(l) == "" {
			continue
		}
		ids = append(ids, strings.TrimSpace(strings.Split(l, "\t")[0]))
	}
	return ids, nil
}

// ReadDir reads the result files under dir that carry one result per
// spectrum with ratios to tCr: LCModel .table files, FSL-MRS summary.csv
// files and Osprey *_tCr_Voxel_* tables (LCModel .coord and .csv files,
// which repeat a .table's numbers, are left to ReadFile), in lexical path
// order. Each result's Path is its file's path relative to dir (with
// forward slashes), and its ID that path when the tool gave none.
func ReadDir(dir string) ([]*Result, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := d.Name()
		ext := strings.ToLower(filepath.Ext(base))
		switch {
		case ext == ".table", base == "summary.csv", ext == ".tsv" && ospreyQuantity(base) == "tCr":
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []*Result
	for _, p := range paths {
		rs, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		for _, r := range rs {
			r.Path = rel
			if r.ID == "" {
				r.ID = rel
			}
		}
		out = append(out, rs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("results: %s holds no LCModel .table, FSL-MRS summary.csv or Osprey QuantifyResults table", dir)
	}
	return out, nil
}
