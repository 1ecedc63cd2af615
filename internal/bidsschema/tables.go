package bidsschema

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// tables checks every TSV file: the tabular rule that selects it
// (required and initial columns, value types) and the data dictionary of
// every column the rule does not define (a Description, and Levels that
// cover the column's values).
func (c *checker) tables() error {
	dts := c.datatypes()
	names := make([]string, 0, len(c.s.Tabular))
	for k := range c.s.Tabular {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, f := range c.files {
		if f.extension != ".tsv" {
			continue
		}
		hdr, rows, err := readTSV(filepath.Join(c.root, filepath.FromSlash(f.rel)))
		if err != nil {
			c.add(f.rel, "unreadable: %v", err)
			continue
		}
		ragged := false
		for i, r := range rows {
			if len(r) != len(hdr) {
				c.add(f.rel, "row %d has %d values, the header %d", i+2, len(r), len(hdr))
				ragged = true
				break
			}
		}
		if ragged {
			continue // this table's columns cannot be checked; the next table's can
		}
		side := c.dictionary(f)
		defined := map[string]bool{}
		e := c.env(f, side, dts)
		for _, n := range names {
			r := c.s.Tabular[n]
			ok, err := selected(r.Selectors, e)
			if err != nil {
				return fmt.Errorf("rule %s: %w", n, err)
			}
			if ok {
				c.columns(f, n, r, hdr, rows, defined)
			}
		}
		c.described(f, hdr, rows, side, defined)
	}
	return nil
}

// dictionary returns the JSON data dictionary of a TSV file: its
// inherited sidecar, or for a top-level or phenotype table the .json of
// the same name.
func (c *checker) dictionary(f *file) map[string]any {
	if f.entities != nil {
		return c.sidecar(f)
	}
	if d, ok := c.jsons[strings.TrimSuffix(f.rel, ".tsv")+".json"]; ok {
		return d
	}
	return map[string]any{}
}

// columns checks a table against one tabular rule.
func (c *checker) columns(f *file, rule string, r TableRule, hdr []string, rows [][]string, defined map[string]bool) {
	idx := map[string]int{}
	for i, h := range hdr {
		idx[h] = i
	}
	for i, k := range r.InitialColumns {
		name, _ := c.s.Columns[k]["name"].(string)
		if i >= len(hdr) || hdr[i] != name {
			c.add(f.rel, "column %d is %q, %s wants %q", i+1, at(hdr, i), rule, name)
		}
	}
	keys := make([]string, 0, len(r.Columns))
	for k := range r.Columns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		def, ok := c.s.Columns[k]
		if !ok {
			c.add(f.rel, "rule %s: column %s has no definition in the compiled schema", rule, k)
			continue
		}
		name, _ := def["name"].(string)
		defined[name] = true
		i, present := idx[name]
		if !present {
			if r.Columns[k] == "required" {
				c.add(f.rel, "lacks column %s, required by %s", name, rule)
			}
			continue
		}
		for j, row := range rows {
			if msg := c.cell(row[i], def); msg != "" {
				c.add(f.rel, "row %d column %s: %s", j+2, name, msg)
				break
			}
		}
	}
}

// cell checks one TSV value against a column definition; n/a is always
// allowed.
func (c *checker) cell(v string, def map[string]any) string {
	if v == "n/a" {
		return ""
	}
	var x any = v
	if t, _ := def["type"].(string); t == "number" || t == "integer" {
		var f float64
		if _, err := fmt.Sscan(v, &f); err != nil || fmt.Sprint(f) == "NaN" {
			return fmt.Sprintf("%q is not a number", v)
		}
		x = f
	}
	return c.s.checkValue(x, def)
}

// described checks that every column outside the schema's definitions has
// a data-dictionary entry with a Description, and that Levels list every
// value of the column.
func (c *checker) described(f *file, hdr []string, rows [][]string, side map[string]any, defined map[string]bool) {
	for i, h := range hdr {
		ent, ok := side[h].(map[string]any)
		if !ok {
			if !defined[h] && !(h == "participant_id" && f.entities == nil) {
				c.add(f.rel, "column %s is not described in the JSON sidecar (a Description is needed for columns BIDS does not define)", h)
			}
			continue
		}
		for _, k := range []string{"Description", "LongName", "Units", "Levels", "TermURL"} {
			if v, ok := ent[k]; ok {
				if msg := c.s.checkValue(v, c.s.Metadata[k]); msg != "" {
					c.add(f.rel, "sidecar %s.%s: %s", h, k, msg)
				}
			}
		}
		if d, _ := ent["Description"].(string); d == "" && !defined[h] {
			c.add(f.rel, "column %s: sidecar entry has no Description", h)
		}
		if lv, ok := ent["Levels"].(map[string]any); ok {
			for j, r := range rows {
				if _, ok := lv[r[i]]; !ok && r[i] != "n/a" {
					c.add(f.rel, "row %d column %s: %q is not among the sidecar's Levels", j+2, h, r[i])
					break
				}
			}
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// participants checks the dataset-level rules: a README, participants.tsv
// listing every sub- folder exactly once, and every phenotype table
// listing exactly the participants of participants.tsv.
func (c *checker) participants() {
	hasREADME := false
	for _, f := range c.files {
		if strings.HasPrefix(f.rel, "README") {
			hasREADME = true
		}
	}
	if !hasREADME {
		c.add("README", "missing (BIDS recommends one)")
	}
	hdr, rows, err := readTSV(filepath.Join(c.root, "participants.tsv"))
	if err != nil {
		c.add("participants.tsv", "missing or unreadable: %v", err)
		return
	}
	if len(hdr) == 0 || hdr[0] != "participant_id" {
		return // reported by the tabular rule
	}
	listed := map[string]bool{}
	for i, r := range rows {
		if listed[r[0]] {
			c.add("participants.tsv", "row %d: %s listed twice", i+2, r[0])
		}
		listed[r[0]] = true
	}
	folders := map[string]bool{}
	for _, f := range c.files {
		if top := strings.SplitN(f.rel, "/", 2)[0]; reSubDir.MatchString(top) {
			folders[top] = true
		}
	}
	for s := range folders {
		if !listed[s] {
			c.add("participants.tsv", "%s has a folder but no row", s)
		}
	}
	for _, f := range c.files {
		if f.datatype != "phenotype" || path.Ext(f.rel) != ".tsv" {
			continue
		}
		ph, prow, err := readTSV(filepath.Join(c.root, filepath.FromSlash(f.rel)))
		if err != nil || len(ph) == 0 || ph[0] != "participant_id" {
			c.add(f.rel, "phenotype tables start with a participant_id column")
			continue
		}
		seen := map[string]bool{}
		for _, r := range prow {
			if !listed[r[0]] {
				c.add(f.rel, "%s is not in participants.tsv", r[0])
			}
			seen[r[0]] = true
		}
		var missing []string
		for s := range listed {
			if !seen[s] {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			c.add(f.rel, "does not list every participant of participants.tsv: %s missing", strings.Join(missing, ", "))
		}
	}
}
