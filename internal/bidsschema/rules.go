package bidsschema

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// sidecar merges the JSON sidecars that apply to f by the inheritance
// principle: a .json with f's suffix whose entities are a subset of f's,
// in f's folder or a parent folder up to the root; deeper files win.
func (c *checker) sidecar(f *file) map[string]any {
	var cands []string
	for rel := range c.jsons {
		if rel == f.rel || c.ignored[rel] || !strings.HasSuffix(rel, "_"+f.suffix+".json") && path.Base(rel) != f.suffix+".json" {
			continue
		}
		dir := path.Dir(rel)
		if dir != "." && dir != path.Dir(f.rel) && !strings.HasPrefix(path.Dir(f.rel), dir+"/") {
			continue
		}
		g := &file{rel: rel}
		name := path.Base(rel)
		g.entities = map[string]string{}
		pieces := strings.Split(strings.TrimSuffix(name, ".json"), "_")
		ok := true
		for _, p := range pieces[:len(pieces)-1] {
			k, v, _ := strings.Cut(p, "-")
			full := ""
			for n, e := range c.s.Entities {
				if e.Name == k {
					full = n
				}
			}
			if f.entities[full] != v {
				ok = false
			}
		}
		if ok {
			cands = append(cands, rel)
		}
	}
	// By name, then by depth (stable): deeper files win, and two sidecars
	// at one level merge in the same order on every run.
	sort.Strings(cands)
	sort.SliceStable(cands, func(i, j int) bool { return strings.Count(cands[i], "/") < strings.Count(cands[j], "/") })
	out := map[string]any{}
	for _, rel := range cands {
		for k, v := range c.jsons[rel] {
			out[k] = v
		}
	}
	return out
}

// env returns what the schema's selectors see of f.
func (c *checker) env(f *file, side map[string]any, datatypes []any) *env {
	ents := map[string]any{}
	for k, v := range f.entities {
		ents[k] = v
	}
	modality := ""
	for m, dts := range c.s.Modalities {
		if has(dts, f.datatype) {
			modality = m
		}
	}
	vars := map[string]any{
		"path": "/" + f.rel, "datatype": f.datatype, "suffix": f.suffix, "extension": f.extension,
		"modality": modality, "entities": ents, "sidecar": side, "json": c.jsons[f.rel],
		"dataset": map[string]any{"datatypes": datatypes},
	}
	return &env{vars: vars, exists: func(p, scope string) bool {
		if scope != "dataset" {
			return false
		}
		_, err := os.Stat(filepath.Join(c.root, filepath.FromSlash(p)))
		return err == nil
	}}
}

// selected reports whether every selector holds for e.
func selected(sel []string, e *env) (bool, error) {
	for _, s := range sel {
		v, err := evaluate(s, e)
		if err != nil {
			return false, err
		}
		if !truthy(v) {
			return false, nil
		}
	}
	return true, nil
}

func (c *checker) datatypes() []any {
	seen := map[string]bool{}
	var out []any
	for _, f := range c.files {
		if f.datatype != "" && f.datatype != "phenotype" && !seen[f.datatype] {
			seen[f.datatype] = true
			out = append(out, f.datatype)
		}
	}
	return out
}

// metadata applies the sidecar rules to every data file (through its
// inherited sidecar) and to dataset_description.json (its own content).
func (c *checker) metadata() error {
	dts := c.datatypes()
	names := make([]string, 0, len(c.s.Sidecars))
	for k := range c.s.Sidecars {
		names = append(names, k)
	}
	sort.Strings(names)
	if dd, ok := c.jsons["dataset_description.json"]; !ok {
		c.add("dataset_description.json", "missing (BIDS requires it)")
	} else if v, ok := dd["BIDSVersion"].(string); ok && v != c.s.BIDSVersion {
		c.add("dataset_description.json", "BIDSVersion %s, but the dataset is checked against BIDS %s", v, c.s.BIDSVersion)
	}
	for _, f := range c.files {
		var fields map[string]any
		switch {
		case f.rel == "dataset_description.json":
			fields = c.jsons[f.rel]
		case f.extension == ".json" || f.datatype == "phenotype" || f.entities == nil:
			continue
		default:
			fields = c.sidecar(f)
		}
		e := c.env(f, fields, dts)
		for _, n := range names {
			r := c.s.Sidecars[n]
			ok, err := selected(r.Selectors, e)
			if err != nil {
				return fmt.Errorf("rule %s: %w", n, err)
			}
			if ok {
				c.fields(f, n, r, fields)
			}
		}
	}
	return nil
}

// fields checks one rule's fields in a file's metadata.
func (c *checker) fields(f *file, rule string, r SidecarRule, md map[string]any) {
	c.ruleTerms(f, rule, r.Fields, c.s.Metadata, "field", "sidecar lacks %s, required by %s", func(name string) bool {
		_, ok := md[name]
		return ok
	}, func(name string, def map[string]any) {
		if msg := c.s.checkValue(md[name], def); msg != "" {
			c.add(f.rel, "sidecar field %s: %s", name, msg)
		}
	})
}
