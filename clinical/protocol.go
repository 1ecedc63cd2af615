package clinical

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
)

// Rule is one inclusion or exclusion rule of a protocol.
type Rule struct {
	// ID names the rule in reports ("I1", "E2").
	ID string `json:"id"`
	// Rule is the expression (see Expr).
	Rule string `json:"rule"`
	// Description says what the rule means, in words.
	Description string `json:"description,omitempty"`
	expr        *Expr
}

// Group holds the rules of one participant group.
type Group struct {
	// Include rules must all hold.
	Include []Rule `json:"include"`
	// Exclude rules must all not hold.
	Exclude []Rule `json:"exclude"`
}

// Derivative defines a field read from files in the derivatives folder.
type Derivative struct {
	// Field is the name rules use.
	Field string `json:"field"`
	// Path is a glob relative to the derivatives folder; {participant} is
	// replaced by the participant ID ("sub-01") and {label} by the ID
	// without its "sub-" prefix.
	Path string `json:"path"`
	// Key is a dotted path into a JSON file ("summary.plm_count").
	Key string `json:"key,omitempty"`
	// Column is a TSV column; a TSV with a participant_id column gives the
	// participant's row, otherwise every row is used.
	Column string `json:"column,omitempty"`
	// Aggregate combines several values (files or rows): "mean", "min",
	// "max", "sum"; empty requires exactly one value.
	Aggregate string `json:"aggregate,omitempty"`
	// Units of the field (for the report).
	Units string `json:"units,omitempty"`
}

// CriteriaMetField is the field holding the result of the protocol's
// criteria set for rules ("rls_criteria_met == true").
const CriteriaMetField = "rls_criteria_met"

// Protocol is a study's eligibility protocol.
type Protocol struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// GroupField is the participants.tsv column giving each participant's
	// group (default "group").
	GroupField string `json:"group_field,omitempty"`
	// CriteriaSet records the RLS diagnostic criteria set the rules rely
	// on (IRLSSG2014, ICSD-3 or DSM-5); rules read its result as the field
	// rls_criteria_met (a copy of irlssg2014_met, icsd3_met or dsm5_met).
	CriteriaSet CriteriaSet `json:"criteria_set,omitempty"`
	// Derivatives are fields read from derivative files.
	Derivatives []Derivative `json:"derivatives,omitempty"`
	// Groups maps a group value to its rules.
	Groups map[string]*Group `json:"groups"`
}

// ParseProtocol reads a JSON protocol and parses every rule.
func ParseProtocol(b []byte, name string) (*Protocol, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Protocol
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if p.GroupField == "" {
		p.GroupField = "group"
	}
	if p.CriteriaSet != "" {
		if _, err := (RLSAnswers{}).Met(p.CriteriaSet); err != nil {
			return nil, fmt.Errorf("%s: criteria_set: %w", name, err)
		}
	}
	if len(p.Groups) == 0 {
		return nil, fmt.Errorf("%s: no groups", name)
	}
	ids := map[string]bool{}
	for gname, g := range p.Groups {
		if g == nil {
			return nil, fmt.Errorf("%s: group %q is null", name, gname)
		}
		for kind, rules := range map[string][]Rule{"include": g.Include, "exclude": g.Exclude} {
			for i := range rules {
				r := &rules[i]
				if r.ID == "" {
					return nil, fmt.Errorf("%s: group %q %s rule %d has no id", name, gname, kind, i+1)
				}
				key := gname + "/" + r.ID
				if ids[key] {
					return nil, fmt.Errorf("%s: group %q: rule id %q used twice", name, gname, r.ID)
				}
				ids[key] = true
				e, err := ParseExpr(r.Rule)
				if err != nil {
					return nil, fmt.Errorf("%s: group %q rule %s: %w", name, gname, r.ID, err)
				}
				r.expr = e
			}
		}
	}
	seen := map[string]bool{}
	for i, d := range p.Derivatives {
		switch {
		case d.Field == "" || d.Path == "":
			return nil, fmt.Errorf("%s: derivative %d needs field and path", name, i+1)
		case (d.Key == "") == (d.Column == ""):
			return nil, fmt.Errorf("%s: derivative %q needs exactly one of key (JSON) or column (TSV)", name, d.Field)
		case seen[d.Field]:
			return nil, fmt.Errorf("%s: derivative field %q defined twice", name, d.Field)
		}
		switch d.Aggregate {
		case "", "mean", "min", "max", "sum":
		default:
			return nil, fmt.Errorf("%s: derivative %q: unknown aggregate %q (mean, min, max, sum or empty)", name, d.Field, d.Aggregate)
		}
		seen[d.Field] = true
	}
	return &p, nil
}

// LoadProtocol reads a JSON protocol file.
func LoadProtocol(path string) (*Protocol, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseProtocol(b, path)
}

// Subject is one participant's fields for screening.
type Subject struct {
	ID     string
	Fields map[string]Value
}

// ReadParticipants reads a BIDS participants.tsv into subjects (values
// parsed with ParseValue), in file order.
func ReadParticipants(path string) ([]Subject, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d := NewDataset()
	if err := ReadTSV(d, f, nil, path); err != nil {
		return nil, err
	}
	if len(d.Issues) > 0 {
		return nil, fmt.Errorf("%s", d.Issues[0])
	}
	var out []Subject
	for _, id := range d.IDs() {
		s := Subject{ID: id, Fields: map[string]Value{"participant_id": Str(id)}}
		for c, v := range d.Records[id].Values {
			s.Fields[c] = ParseValue(v)
		}
		out = append(out, s)
	}
	return out, nil
}

// AddFields adds per-participant fields (scores, phenotype values) to the
// subjects; a field already present keeps its value unless override is set.
func AddFields(subjects []Subject, fields map[string]map[string]Value, override bool) {
	for i := range subjects {
		for k, v := range fields[subjects[i].ID] {
			if _, ok := subjects[i].Fields[k]; !ok || override {
				subjects[i].Fields[k] = v
			}
		}
	}
}

// RawFields returns a dataset's raw values as fields (ParseValue).
func (d *Dataset) RawFields() map[string]map[string]Value {
	out := map[string]map[string]Value{}
	for id, r := range d.Records {
		m := map[string]Value{}
		for c, v := range r.Values {
			if r.Invalid[c] {
				m[c] = NA
				continue
			}
			m[c] = ParseValue(v)
		}
		out[id] = m
	}
	return out
}

// RuleOutcome is one rule applied to one participant.
type RuleOutcome struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // include or exclude
	Rule string `json:"rule"`
	// Description is the rule's description from the protocol.
	Description string `json:"description,omitempty"`
	// Result is the rule's value: "pass" (true), "fail" (false), "unknown"
	// (a needed value is missing) or "error".
	Result string `json:"result"`
	// Satisfied is whether the outcome allows eligibility (include true,
	// exclude false).
	Satisfied bool `json:"satisfied"`
	// Values are the fields the rule read, with their values.
	Values map[string]Value `json:"values"`
	// Message explains errors and unknown results.
	Message string `json:"message,omitempty"`
}

// SubjectResult is one participant's screening.
type SubjectResult struct {
	Participant string        `json:"participant_id"`
	Group       string        `json:"group"`
	Eligible    bool          `json:"eligible"`
	Reason      string        `json:"reason,omitempty"`
	Rules       []RuleOutcome `json:"rules"`
}

// Screening is the result of applying a protocol.
type Screening struct {
	Protocol string          `json:"protocol"`
	Criteria CriteriaSet     `json:"criteria_set,omitempty"`
	Subjects []SubjectResult `json:"participants"`
	// Issues are problems met while reading derivatives.
	Issues []Issue `json:"issues,omitempty"`
}

// GroupCount is how many participants of a group were screened and found
// eligible.
type GroupCount struct {
	Group              string
	Screened, Eligible int
}

// Counts returns the screened and eligible participants per group, groups
// in alphabetical order.
func (s *Screening) Counts() []GroupCount {
	idx := map[string]int{}
	var out []GroupCount
	for _, r := range s.Subjects {
		i, ok := idx[r.Group]
		if !ok {
			i = len(out)
			idx[r.Group] = i
			out = append(out, GroupCount{Group: r.Group})
		}
		out[i].Screened++
		if r.Eligible {
			out[i].Eligible++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

// Screen applies the protocol to subjects. Derivative fields are read from
// derivDir and take precedence over a participant field of the same name;
// when derivDir is empty or holds no value for a participant, the
// participant's own field (e.g. a participants.tsv column) is used, and
// without either the field is missing. A rule naming a
// field that no subject has and no derivative defines is an error, so a
// misspelt field cannot silently exclude everyone.
func (p *Protocol) Screen(subjects []Subject, derivDir string) (*Screening, error) {
	sc := &Screening{Protocol: p.Name, Criteria: p.CriteriaSet}
	known := map[string]bool{}
	for _, s := range subjects {
		for k := range s.Fields {
			known[k] = true
		}
	}
	setField := map[CriteriaSet]string{IRLSSG2014Set: "irlssg2014_met", ICSD3Set: "icsd3_met", DSM5Set: "dsm5_met"}[p.CriteriaSet]
	if setField != "" {
		known[CriteriaMetField] = true
	}
	if len(subjects) > 0 && !known[p.GroupField] {
		return nil, fmt.Errorf("protocol %s: no participant has the group column %q", p.Name, p.GroupField)
	}
	for _, d := range p.Derivatives {
		known[d.Field] = true
	}
	gnames := make([]string, 0, len(p.Groups))
	for g := range p.Groups {
		gnames = append(gnames, g)
	}
	sort.Strings(gnames)
	for _, g := range gnames {
		for _, r := range append(append([]Rule{}, p.Groups[g].Include...), p.Groups[g].Exclude...) {
			for _, f := range r.expr.Fields() {
				if !known[f] {
					return nil, fmt.Errorf("protocol %s: group %q rule %s reads field %q, which no participant has (participants.tsv, phenotype, scores) and no derivative defines", p.Name, g, r.ID, f)
				}
			}
		}
	}
	for _, s := range subjects {
		fields := map[string]Value{}
		for k, v := range s.Fields {
			fields[k] = v
		}
		for _, d := range p.Derivatives {
			if derivDir == "" {
				break // derivative fields keep any value the participant already has
			}
			v, iss := d.lookup(derivDir, s.ID)
			sc.Issues = append(sc.Issues, iss...)
			if _, has := fields[d.Field]; has && v.IsMissing() {
				continue
			}
			fields[d.Field] = v
		}
		if setField != "" {
			fields[CriteriaMetField] = fields[setField]
		}
		res := SubjectResult{Participant: s.ID}
		gv := fields[p.GroupField]
		res.Group = gv.String()
		g := p.Groups[res.Group]
		if gv.IsMissing() || g == nil {
			res.Reason = fmt.Sprintf("group %q (column %s) has no rules in the protocol", res.Group, p.GroupField)
			sc.Subjects = append(sc.Subjects, res)
			continue
		}
		get := func(name string) Value { return fields[name] }
		res.Eligible = true
		var failed []string
		apply := func(kind string, rules []Rule) {
			for _, r := range rules {
				o := RuleOutcome{ID: r.ID, Kind: kind, Rule: r.Rule, Description: r.Description, Values: map[string]Value{}}
				for _, f := range r.expr.Fields() {
					o.Values[f] = get(f)
				}
				t, err := r.expr.Eval(get)
				switch {
				case err != nil:
					o.Result, o.Message = "error", err.Error()
				case t == Unknown:
					o.Result, o.Message = "unknown", "a value the rule needs is missing: "+missingList(o.Values)
				default:
					o.Result = t.String()
				}
				o.Satisfied = kind == "include" && o.Result == "pass" || kind == "exclude" && o.Result == "fail"
				if !o.Satisfied {
					res.Eligible = false
					failed = append(failed, fmt.Sprintf("%s %s", r.ID, o.Result))
				}
				res.Rules = append(res.Rules, o)
			}
		}
		apply("include", g.Include)
		apply("exclude", g.Exclude)
		if !res.Eligible {
			res.Reason = "not satisfied: " + strings.Join(failed, ", ")
		}
		sc.Subjects = append(sc.Subjects, res)
	}
	return sc, nil
}

func missingList(vals map[string]Value) string {
	var m []string
	for k, v := range vals {
		if v.IsMissing() {
			m = append(m, k)
		}
	}
	sort.Strings(m)
	if len(m) == 0 {
		return "(none)"
	}
	return strings.Join(m, ", ")
}

// lookup reads a derivative field for one participant.
func (d Derivative) lookup(dir, id string) (Value, []Issue) {
	if dir == "" {
		return NA, nil
	}
	issue := func(v, format string, args ...any) []Issue {
		return []Issue{{Participant: id, Instrument: "derivatives", Column: d.Field, Value: v, Severity: SeverityError, Message: fmt.Sprintf(format, args...)}}
	}
	pat := strings.NewReplacer("{participant}", id, "{label}", strings.TrimPrefix(id, "sub-")).Replace(d.Path)
	files, err := filepath.Glob(filepath.Join(dir, pat))
	if err != nil {
		return NA, issue(Missing, "bad path pattern %q: %v", d.Path, err)
	}
	if len(files) == 0 {
		return NA, nil
	}
	sort.Strings(files)
	var xs []Value
	for _, f := range files {
		var vs []Value
		var err error
		if d.Key != "" {
			vs, err = jsonKey(f, d.Key)
		} else {
			vs, err = tsvColumn(f, d.Column, id)
		}
		if err != nil {
			return NA, issue(Missing, "%v", err)
		}
		xs = append(xs, vs...)
	}
	var nums []float64
	for _, v := range xs {
		if v.IsMissing() {
			continue
		}
		if len(xs) == 1 {
			return v, nil
		}
		if v.Kind != KindNumber {
			return NA, issue(v.String(), "%d values found in %s and %s is not a number, so they cannot be combined", len(xs), strings.Join(files, ", "), v)
		}
		nums = append(nums, v.Num)
	}
	if len(nums) == 0 {
		return NA, nil
	}
	if len(xs) > 1 && d.Aggregate == "" {
		return NA, issue(Missing, "%d values found (%s) but the protocol gives no aggregate", len(xs), strings.Join(files, ", "))
	}
	r := nums[0]
	switch d.Aggregate {
	case "mean", "sum":
		s := 0.0
		for _, x := range nums {
			s += x
		}
		r = s
		if d.Aggregate == "mean" {
			r = s / float64(len(nums))
		}
	case "min":
		for _, x := range nums {
			r = min(r, x)
		}
	case "max":
		for _, x := range nums {
			r = max(r, x)
		}
	}
	return Num(r), nil
}

func jsonKey(path, key string) ([]Value, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, k := range strings.Split(key, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: key %q: %q is not inside an object", path, key, k)
		}
		if v, ok = m[k]; !ok {
			return []Value{NA}, nil
		}
	}
	switch x := v.(type) {
	case nil:
		return []Value{NA}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("%s: key %q: %w", path, key, err)
		}
		return []Value{Num(f)}, nil
	case string:
		return []Value{ParseValue(x)}, nil
	case bool:
		return []Value{Bool(x)}, nil
	}
	return nil, fmt.Errorf("%s: key %q holds an object or list, not a value", path, key)
}

// tsvColumn reads column col of the TSV file at path (internal/tsv's
// rules), the rows of participant id when the file has a participant_id
// column.
func tsvColumn(path, col, id string) ([]Value, error) {
	t, err := tsv.ReadFile(path, tsv.Limits{})
	if err != nil {
		return nil, err
	}
	ci, pi := t.Index(col), t.Index("participant_id")
	if ci < 0 {
		return nil, fmt.Errorf("%s: no column %q", path, col)
	}
	var out []Value
	for _, r := range t.Rows {
		if pi >= 0 && r[pi] != id {
			continue
		}
		out = append(out, ParseValue(r[ci]))
	}
	return out, nil
}

// WriteScreening writes screening.tsv (one row per participant and rule:
// participant_id, group, eligible, rule_id, kind, result, satisfied, values,
// rule, message) and screening.json into dir and returns the TSV path.
func WriteScreening(dir string, s *Screening) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("participant_id\tgroup\teligible\trule_id\tkind\tresult\tsatisfied\tvalues\trule\tmessage\n")
	for _, r := range s.Subjects {
		if len(r.Rules) == 0 {
			fmt.Fprintf(&b, "%s\t%s\t%t\tn/a\tn/a\tn/a\tn/a\tn/a\tn/a\t%s\n", tsv.Text(r.Participant), tsv.Text(r.Group), r.Eligible, tsv.Text(r.Reason))
		}
		for _, o := range r.Rules {
			keys := make([]string, 0, len(o.Values))
			for k := range o.Values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var vals []string
			for _, k := range keys {
				vals = append(vals, k+"="+o.Values[k].String())
			}
			fmt.Fprintf(&b, "%s\t%s\t%t\t%s\t%s\t%s\t%t\t%s\t%s\t%s\n", tsv.Text(r.Participant), tsv.Text(r.Group), r.Eligible,
				tsv.Text(o.ID), o.Kind, o.Result, o.Satisfied, tsv.Text(strings.Join(vals, "; ")), tsv.Text(o.Rule), tsv.Text(o.Message))
		}
	}
	path := filepath.Join(dir, "screening.tsv")
	if err := atomicfile.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return "", err
	}
	// per-participant summary
	var sb bytes.Buffer
	sb.WriteString("participant_id\tgroup\teligible\treason\n")
	for _, r := range s.Subjects {
		fmt.Fprintf(&sb, "%s\t%s\t%t\t%s\n", tsv.Text(r.Participant), tsv.Text(r.Group), r.Eligible, tsv.Text(r.Reason))
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "eligibility.tsv"), sb.Bytes(), 0o644); err != nil {
		return "", err
	}
	if err := writeJSON(filepath.Join(dir, "screening.json"), s); err != nil {
		return "", err
	}
	return path, nil
}
