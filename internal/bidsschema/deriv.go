package bidsschema

import (
	"fmt"
	"sort"
	"strings"
)

// CheckDerivatives checks the BIDS-Derivatives dataset at root:
//
//   - file names under sub-<label>/[ses-<label>/]<datatype>/: known
//     entities in the schema's order with valid values, matching their
//     folders, a BIDS datatype folder, and a file rule of the schema
//     (rules.files.raw, common and deriv) for the suffix and datatype whose
//     entities fit, space- and desc- being allowed on every derivative as
//     the schema's derivative rules allow them. A file whose suffix and
//     entities fit a rule but whose extension the rule does not list (a
//     derivative of a kind the schema does not define, e.g. a _svs.tsv
//     table) must carry a desc- entity;
//   - every other path is a top-level BIDS file or listed in .bidsignore;
//   - dataset_description.json: the dataset_description rule's fields and
//     types, BIDSVersion equal to the schema's, DatasetType "derivative",
//     GeneratedBy with a Name, and SourceDatasets;
//   - every TSV file, .bidsignore'd or not, has a JSON sidecar (the
//     inherited sidecars of a BIDS-named file, else the .json of the same
//     name) giving each of its columns a Description, and Levels (an
//     object of strings) and Units (a string) where given.
//
// The error is for an unreadable dataset or an unsupported schema
// expression.
func (s *Schema) CheckDerivatives(root string) ([]Problem, error) {
	c := &checker{s: s, root: root, jsons: map[string]map[string]any{}}
	tsvs, err := c.walk(nil, c.derivName)
	if err != nil {
		return nil, fmt.Errorf("derivatives %s: %w", root, err)
	}
	if err := c.derivDescription(); err != nil {
		return nil, err
	}
	for _, rel := range tsvs {
		c.tsvSidecar(rel)
	}
	return c.sorted(), nil
}

// derivName checks a derivative file's name and place (see
// CheckDerivatives) and returns what it says about the file (nil when it
// is not a BIDS file).
func (c *checker) derivName(rel string) *file {
	parts := strings.Split(rel, "/")
	if len(parts) == 1 {
		return c.topLevel(rel)
	}
	m := reSubDir.FindStringSubmatch(parts[0])
	if m == nil {
		c.add(rel, "not a BIDS-Derivatives path: top-level folders are sub-<label>, or listed in .bidsignore (e.g. a BIDS App's group/)")
		return nil
	}
	want := map[string]string{"subject": m[1]}
	rest := parts[1:]
	if ms := reSesDir.FindStringSubmatch(rest[0]); ms != nil && len(rest) > 1 {
		want["session"] = ms[1]
		rest = rest[1:]
	}
	if len(rest) != 2 {
		c.add(rel, "derivative files sit in sub-<label>/[ses-<label>/]<datatype>/ (or are listed in .bidsignore)")
		return nil
	}
	f := &file{rel: rel, datatype: rest[0]}
	known := false
	for _, dts := range c.s.Modalities {
		known = known || has(dts, f.datatype)
	}
	if !known {
		c.add(rel, "%q is not a BIDS datatype folder", f.datatype)
		return nil
	}
	if !c.parseName(f, rest[1]) {
		return nil
	}
	c.folderEntities(rel, f, want)
	c.matchDeriv(f)
	return f
}

// matchDeriv finds a file rule for a derivative (see CheckDerivatives) and
// reports why none fits.
func (c *checker) matchDeriv(f *file) {
	extra := map[string]bool{"description": true, "space": true}
	keys := make([]string, 0, len(c.s.Files))
	for k := range c.s.Files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var why []string
	otherExt := false
	for _, k := range keys {
		r := c.s.Files[k]
		if !has(r.Suffixes, f.suffix) {
			continue
		}
		if !has(r.Datatypes, f.datatype) {
			why = append(why, fmt.Sprintf("%s: datatype %q not in %v", k, f.datatype, r.Datatypes))
			continue
		}
		if bad := c.entitiesMismatch(f, k, r, extra); bad != "" {
			why = append(why, bad)
			continue
		}
		if has(r.Extensions, f.extension) {
			return
		}
		otherExt = true
	}
	switch {
	case otherExt:
		if _, ok := f.entities["description"]; !ok {
			c.add(f.rel, "no rule for suffix %q has extension %q: a derivative of a kind BIDS does not define needs a desc- entity", f.suffix, f.extension)
		}
	case len(why) == 0:
		c.add(f.rel, "%q is not a BIDS suffix", f.suffix)
	default:
		sort.Strings(why)
		c.add(f.rel, "no BIDS file rule matches: %s", strings.Join(why, "; "))
	}
}

// derivDescription checks dataset_description.json of derivatives.
func (c *checker) derivDescription() error {
	const p = "dataset_description.json"
	var dd *file
	for _, f := range c.files {
		if f.rel == p {
			dd = f
		}
	}
	all := c.files
	c.files = nil
	if dd != nil {
		c.files = []*file{dd}
	}
	err := c.metadata() // the dataset_description rule and BIDSVersion
	c.files = all
	if err != nil || dd == nil {
		return err
	}
	m := c.jsons[p]
	if m["DatasetType"] != "derivative" {
		c.add(p, "DatasetType is %v, want \"derivative\"", m["DatasetType"])
	}
	gen, _ := m["GeneratedBy"].([]any)
	if len(gen) == 0 {
		c.add(p, "no GeneratedBy: derivatives name the pipeline that made them")
	}
	for i, g := range gen {
		if o, _ := g.(map[string]any); o == nil || o["Name"] == nil || o["Name"] == "" {
			c.add(p, "GeneratedBy[%d] has no Name", i)
		}
	}
	if src, _ := m["SourceDatasets"].([]any); len(src) == 0 {
		c.add(p, "no SourceDatasets: derivatives name the dataset they were made from")
	}
	return nil
}

// tsvSidecar checks that the TSV file rel has a JSON sidecar describing
// each of its columns.
func (c *checker) tsvSidecar(rel string) {
	var side map[string]any
	for _, f := range c.files {
		if f.rel == rel && f.entities != nil {
			side = c.sidecar(f)
		}
	}
	if side == nil {
		side = c.jsons[strings.TrimSuffix(rel, ".tsv")+".json"]
	}
	if len(side) == 0 {
		c.add(rel, "no JSON sidecar describing its columns")
		return
	}
	t, err := c.readTable(rel)
	if err != nil {
		c.add(rel, "unreadable: %v", err)
		return
	}
	for _, col := range t.Header {
		d, _ := side[col].(map[string]any)
		if desc, _ := d["Description"].(string); strings.TrimSpace(desc) == "" {
			c.add(rel, "column %q has no Description in its sidecar", col)
			continue
		}
		if u, ok := d["Units"]; ok {
			if _, isStr := u.(string); !isStr {
				c.add(rel, "column %q: Units is %T, want a string", col, u)
			}
		}
		if l, ok := d["Levels"]; ok {
			lm, isObj := l.(map[string]any)
			if !isObj {
				c.add(rel, "column %q: Levels is %T, want an object", col, l)
			}
			for k, v := range lm {
				if _, isStr := v.(string); !isStr {
					c.add(rel, "column %q: level %q is %T, want a string", col, k, v)
				}
			}
		}
	}
}
