package bidsschema

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"glusleep/internal/tsv"
)

// Problem is one way a dataset departs from the schema.
type Problem struct {
	// Path is the file, relative to the dataset root ("" for the dataset).
	Path string
	// Message says what is wrong and what the schema wants.
	Message string
}

// String formats the problem as "path: message".
func (p Problem) String() string { return p.Path + ": " + p.Message }

// file is what the checker knows of one file of the dataset.
type file struct {
	rel       string // slash-separated, relative to the root
	datatype  string
	suffix    string
	extension string
	entities  map[string]string // full entity name → value
}

type checker struct {
	s        *Schema
	root     string
	files    []*file
	jsons    map[string]map[string]any // rel → parsed JSON
	ignored  map[string]bool           // rel of the files .bidsignore lists
	problems []Problem
}

func (c *checker) add(rel, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: rel, Message: fmt.Sprintf(format, args...)})
}

// CheckDataset checks the raw BIDS dataset at root: every file's name,
// the sidecar fields and table columns of every data file, and the
// dataset-level rules. Files matched by .bidsignore and the contents of
// derivatives/, sourcedata/, code/ and stimuli/ are not checked. The error
// is for an unreadable dataset or an unsupported schema expression.
func (s *Schema) CheckDataset(root string) ([]Problem, error) {
	c := &checker{s: s, root: root, jsons: map[string]map[string]any{}}
	notBIDS := func(rel string) bool {
		return rel == "derivatives" || rel == "sourcedata" || rel == "code" || rel == "stimuli"
	}
	if _, err := c.walk(notBIDS, c.name); err != nil {
		return nil, fmt.Errorf("dataset %s: %w", root, err)
	}
	if err := c.metadata(); err != nil {
		return nil, err
	}
	if err := c.tables(); err != nil {
		return nil, err
	}
	c.participants()
	return c.sorted(), nil
}

// sorted returns the problems found, by path (in the order found within
// a path).
func (c *checker) sorted() []Problem {
	sort.SliceStable(c.problems, func(i, j int) bool { return c.problems[i].Path < c.problems[j].Path })
	return c.problems
}

// walk visits the files of the dataset, raw or derivative, by one
// .bidsignore rule: a path .bidsignore lists (or inside a folder it
// lists) is not checked against BIDS — not named, not given sidecar or
// table rules, not a sidecar of a BIDS file — but is read like every
// other: a JSON file must hold an object. Hidden files and folders (".")
// are left out, and so are the contents of the top-level folders for
// which skip is true (a raw dataset's derivatives/, sourcedata/, ...).
// Every other file not .bidsignore'd is named by name (its
// slash-separated path relative to the root) and, when that returns a
// BIDS file, added to c.files. walk returns every TSV file read,
// .bidsignore'd or not.
func (c *checker) walk(skip func(top string) bool, name func(rel string) *file) (tsvs []string, err error) {
	pats, err := readIgnore(filepath.Join(c.root, ".bidsignore"))
	if err != nil {
		return nil, err
	}
	c.ignored = map[string]bool{}
	err = filepath.WalkDir(c.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(c.root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || d.IsDir() && skip != nil && !strings.Contains(rel, "/") && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if strings.HasSuffix(rel, ".json") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				c.add(rel, "not a JSON object: %v", err)
			} else {
				c.jsons[rel] = m
			}
		}
		if strings.HasSuffix(rel, ".tsv") {
			tsvs = append(tsvs, rel)
		}
		if ignoredPath(pats, rel) {
			c.ignored[rel] = true
			return nil
		}
		if f := name(rel); f != nil {
			c.files = append(c.files, f)
		}
		return nil
	})
	return tsvs, err
}

// readIgnore reads .bidsignore's patterns (none when it is absent).
func readIgnore(p string) ([]string, error) {
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pats []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			pats = append(pats, strings.TrimPrefix(l, "/"))
		}
	}
	return pats, nil
}

// ignoredPath reports whether a .bidsignore pattern lists the file rel
// or one of its folders: a pattern matches a path whole, or its last
// name when the pattern has no "/"; a pattern ending in "/" matches a
// folder only.
func ignoredPath(pats []string, rel string) bool {
	for at := len(rel); at > 0; at = strings.LastIndexByte(rel[:at], '/') {
		p, isDir := rel[:at], at < len(rel)
		for _, pat := range pats {
			folderPat := strings.HasSuffix(pat, "/")
			if folderPat && !isDir {
				continue
			}
			pat = strings.TrimSuffix(pat, "/")
			if ok, _ := path.Match(pat, p); ok {
				return true
			}
			if ok, _ := path.Match(pat, path.Base(p)); ok && !strings.Contains(pat, "/") {
				return true
			}
		}
	}
	return false
}

var (
	reSubDir = regexp.MustCompile(`^sub-([0-9A-Za-z]+)$`)
	reSesDir = regexp.MustCompile(`^ses-([0-9A-Za-z]+)$`)
)

// name checks one file's name and place against the file rules and
// returns what it says about the file (nil when it is not a BIDS file).
func (c *checker) name(rel string) *file {
	parts := strings.Split(rel, "/")
	if len(parts) == 1 {
		return c.topLevel(rel)
	}
	if parts[0] == "phenotype" && len(parts) == 2 {
		if r := c.s.Files["common.tables.phenotype"]; !has(r.Extensions, path.Ext(rel)) {
			c.add(rel, "phenotype files are .tsv or .json")
		}
		return &file{rel: rel, datatype: "phenotype", extension: path.Ext(rel)}
	}
	m := reSubDir.FindStringSubmatch(parts[0])
	if m == nil {
		c.add(rel, "not a BIDS path: top-level folders are sub-<label>, phenotype, derivatives, sourcedata, code or stimuli")
		return nil
	}
	f := &file{rel: rel}
	want := map[string]string{"subject": m[1]}
	rest := parts[1:]
	if ms := reSesDir.FindStringSubmatch(rest[0]); ms != nil && len(rest) > 1 {
		want["session"] = ms[1]
		rest = rest[1:]
	}
	switch len(rest) {
	case 1:
	case 2:
		f.datatype = rest[0]
	default:
		c.add(rel, "too deep: files sit in sub-<label>/[ses-<label>/]<datatype>/")
		return nil
	}
	if !c.parseName(f, rest[len(rest)-1]) {
		return nil
	}
	c.folderEntities(rel, f, want)
	c.matchRule(f)
	return f
}

// folderEntities reports each entity of file f (at rel) whose value
// differs from the one its folders give (want: entity key → value), in
// key order.
func (c *checker) folderEntities(rel string, f *file, want map[string]string) {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v := want[k]; f.entities[k] != v {
			c.add(rel, "%s entity %q does not match its folder (%q)", c.s.Entities[k].Name, f.entities[k], v)
		}
	}
}

// parseName splits a file name into entities, suffix and extension and
// checks the entities' keys, order and value formats.
func (c *checker) parseName(f *file, name string) bool {
	i := strings.IndexByte(name, '.')
	if i < 0 {
		c.add(f.rel, "no extension")
		return false
	}
	f.extension = name[i:]
	pieces := strings.Split(name[:i], "_")
	f.suffix = pieces[len(pieces)-1]
	if strings.Contains(f.suffix, "-") {
		c.add(f.rel, "no suffix: the name must end in _<suffix>")
		return false
	}
	byKey := map[string]string{}
	for full, e := range c.s.Entities {
		byKey[e.Name] = full
	}
	order := map[string]int{}
	for i, e := range c.s.EntityOrder {
		order[e] = i
	}
	f.entities = map[string]string{}
	last := -1
	for _, p := range pieces[:len(pieces)-1] {
		k, v, ok := strings.Cut(p, "-")
		full := byKey[k]
		if !ok || full == "" {
			c.add(f.rel, "%q is not an entity (key-value with a BIDS entity key)", p)
			return false
		}
		if _, dup := f.entities[full]; dup {
			c.add(f.rel, "entity %s appears twice", k)
			return false
		}
		if order[full] < last {
			c.add(f.rel, "entity %s out of order (BIDS order: %s)", k, strings.Join(c.s.EntityOrder, ", "))
		}
		last = order[full]
		pat := c.s.Formats[c.s.Entities[full].Format]
		if !regexp.MustCompile("^(?:" + pat + ")$").MatchString(v) {
			c.add(f.rel, "entity %s value %q is not a %s (%s)", k, v, c.s.Entities[full].Format, pat)
		}
		f.entities[full] = v
	}
	return true
}

// matchRule finds a file rule allowing the file's datatype, suffix,
// extension and entities, and reports why none does.
func (c *checker) matchRule(f *file) {
	var why []string
	keys := make([]string, 0, len(c.s.Files))
	for k := range c.s.Files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r := c.s.Files[k]
		if strings.HasPrefix(k, "deriv.") {
			continue // derivative rules: CheckDerivatives
		}
		if len(r.Suffixes) == 0 || !has(r.Suffixes, f.suffix) || !has(r.Extensions, f.extension) {
			continue
		}
		if (f.datatype == "") != (len(r.Datatypes) == 0) || (f.datatype != "" && !has(r.Datatypes, f.datatype)) {
			why = append(why, fmt.Sprintf("%s: datatype %q not in %v", k, f.datatype, r.Datatypes))
			continue
		}
		bad := c.entitiesMismatch(f, k, r, nil)
		if bad == "" {
			return
		}
		why = append(why, bad)
	}
	if len(why) == 0 {
		c.add(f.rel, "no BIDS rule has suffix %q with extension %q", f.suffix, f.extension)
		return
	}
	sort.Strings(why)
	c.add(f.rel, "no BIDS file rule matches: %s", strings.Join(why, "; "))
}

// entitiesMismatch says why f's entities do not fit rule k (r), with the
// entities in extra allowed too; "" when they fit.
func (c *checker) entitiesMismatch(f *file, k string, r FileRule, extra map[string]bool) string {
	bad := ""
	for e := range f.entities {
		if _, ok := r.Entities[e]; !ok && !extra[e] {
			bad = fmt.Sprintf("%s: entity %s not allowed", k, c.s.Entities[e].Name)
		}
	}
	for e, vals := range r.EntityValues {
		if v, ok := f.entities[e]; ok && !has(vals, v) {
			bad = fmt.Sprintf("%s: entity %s must be one of %v", k, c.s.Entities[e].Name, vals)
		}
	}
	for e, lvl := range r.Entities {
		if _, ok := f.entities[e]; !ok && lvl == "required" {
			bad = fmt.Sprintf("%s: entity %s required", k, c.s.Entities[e].Name)
		}
	}
	return bad
}

// topLevel checks a file in the dataset root against the core and table
// rules.
func (c *checker) topLevel(rel string) *file {
	for _, k := range []string{"common.core", "common.tables"} {
		for name, r := range c.s.Files {
			if !strings.HasPrefix(name, k+".") || len(r.Suffixes) > 0 || len(r.Datatypes) > 0 {
				continue
			}
			if r.Path == rel {
				return &file{rel: rel, extension: path.Ext(rel)}
			}
			for _, ext := range r.Extensions {
				if r.Stem != "" && r.Stem+ext == rel {
					return &file{rel: rel, extension: ext, suffix: r.Stem}
				}
			}
		}
	}
	c.add(rel, "not a BIDS top-level file (dataset_description.json, README, CHANGES, LICENSE, participants.tsv, ...); list it in .bidsignore if it belongs to the dataset")
	return nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readTable reads the dataset's TSV file rel by internal/tsv's rules (a
// header of unique names, every row as long, cells trimmed); errors name
// rel, the line and the column.
func (c *checker) readTable(rel string) (*tsv.Table, error) {
	fh, err := os.Open(filepath.Join(c.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return tsv.Read(fh, rel, tsv.Limits{})
}
