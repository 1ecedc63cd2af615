package bidsschema

import (
	"fmt"
	"math"
	"path"
	"sort"
	"strings"

	"glusleep/internal/tsv"
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
		t, err := c.readTable(f.rel)
		if err != nil {
			// A ragged or damaged table: its columns cannot be checked;
			// the next table's can.
			c.add(f.rel, "unreadable: %v", err)
			continue
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
				c.columns(f, n, r, t, defined)
			}
		}
		c.described(f, t, side, defined)
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
func (c *checker) columns(f *file, rule string, r TableRule, t *tsv.Table, defined map[string]bool) {
	hdr := t.Header
	for i, k := range r.InitialColumns {
		name, _ := c.s.Columns[k]["name"].(string)
		if i >= len(hdr) || hdr[i] != name {
			c.add(f.rel, "column %d is %q, %s wants %q", i+1, at(hdr, i), rule, name)
		}
	}
	c.ruleTerms(f, rule, r.Columns, c.s.Columns, "column", "lacks column %s, required by %s", func(name string) bool {
		defined[name] = true
		return t.Index(name) >= 0
	}, func(name string, def map[string]any) {
		i := t.Index(name)
		for j, row := range t.Rows {
			if msg := c.cell(row[i], def); msg != "" {
				c.add(f.rel, "line %d column %s: %s", t.Line(j), name, msg)
				break
			}
		}
	})
}

// ruleTerms checks the terms (metadata fields or table columns) a rule
// names in levels (key → required, recommended or optional), in key
// order: a key without a definition in defs, or a required term that
// present says is absent, is a problem; check is called for each present
// one with its name and definition. what names a term in messages, lacks
// formats the problem of a missing one (its name, the rule).
func (c *checker) ruleTerms(f *file, rule string, levels map[string]string, defs map[string]map[string]any, what, lacks string,
	present func(name string) bool, check func(name string, def map[string]any)) {
	keys := make([]string, 0, len(levels))
	for k := range levels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		def, ok := defs[k]
		if !ok {
			c.add(f.rel, "rule %s: %s %s has no definition in the compiled schema", rule, what, k)
			continue
		}
		name, _ := def["name"].(string)
		if !present(name) {
			if levels[k] == "required" {
				c.add(f.rel, lacks, name, rule)
			}
			continue
		}
		check(name, def)
	}
}

// cell checks one TSV value against a column definition; n/a is always
// allowed. A number or integer column's values are read as tsv.Float reads
// them ("12abc", "1,5" and hexadecimal are not numbers) and must be
// finite; the other spellings of a missing value ("", "NA", "NaN") are not
// BIDS's n/a and are refused.
func (c *checker) cell(v string, def map[string]any) string {
	if v == tsv.NA {
		return ""
	}
	var x any = v
	if t, _ := def["type"].(string); t == "number" || t == "integer" {
		f, err := tsv.Float(v)
		if err != nil || math.IsNaN(f) {
			return fmt.Sprintf("%q is not a number", v)
		}
		x = f
	}
	return c.s.checkValue(x, def)
}

// described checks that every column outside the schema's definitions has
// a data-dictionary entry with a Description, and that Levels list every
// value of the column.
func (c *checker) described(f *file, t *tsv.Table, side map[string]any, defined map[string]bool) {
	for i, h := range t.Header {
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
			for j, r := range t.Rows {
				if _, ok := lv[r[i]]; !ok && r[i] != tsv.NA {
					c.add(f.rel, "line %d column %s: %q is not among the sidecar's Levels", t.Line(j), h, r[i])
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
	pt, err := c.readTable("participants.tsv")
	if err != nil {
		c.add("participants.tsv", "missing or unreadable: %v", err)
		return
	}
	if pt.Header[0] != "participant_id" {
		return // reported by the tabular rule
	}
	listed := map[string]bool{}
	for i, r := range pt.Rows {
		if listed[r[0]] {
			c.add("participants.tsv", "line %d: %s listed twice", pt.Line(i), r[0])
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
		ph, err := c.readTable(f.rel)
		if err != nil {
			continue // reported by tables
		}
		if ph.Header[0] != "participant_id" {
			c.add(f.rel, "phenotype tables start with a participant_id column")
			continue
		}
		seen := map[string]bool{}
		for _, r := range ph.Rows {
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
