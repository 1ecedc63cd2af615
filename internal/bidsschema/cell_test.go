package bidsschema

import (
	"strings"
	"testing"
)

// A number column's cell is read as tsv.Float reads it: hexadecimal and
// the spellings of NaN are not numbers, and of the missing-value
// spellings only BIDS's n/a is allowed.
func TestCellNumbersAsTSV(t *testing.T) {
	c := &checker{s: load(t)}
	for _, typ := range []string{"number", "integer"} {
		def := map[string]any{"type": typ}
		for _, tc := range []struct {
			v  string
			ok bool
		}{{"3", true}, {"n/a", true}, {"0x1p-2", false}, {"0X10P0", false}, {"NAN", false}, {"NA", false}, {"nan", false}, {"1e400", false}} {
			if msg := c.cell(tc.v, def); (msg == "") != tc.ok {
				t.Errorf("%s cell %q: problem %q, want ok %v", typ, tc.v, msg, tc.ok)
			}
		}
	}
}

// A file whose subject and session both differ from its folders' gets
// the two problems in entity order, the same on every run.
func TestFolderEntitiesOrder(t *testing.T) {
	c := &checker{s: load(t)}
	f := &file{entities: map[string]string{"subject": "02", "session": "2"}}
	want := map[string]string{"subject": "01", "session": "1"}
	for run := 0; run < 50; run++ {
		c.problems = nil
		c.folderEntities("x", f, want)
		if len(c.problems) != 2 || !strings.HasPrefix(c.problems[0].Message, c.s.Entities["session"].Name+" ") {
			t.Fatalf("run %d: %v", run, c.problems)
		}
	}
}
