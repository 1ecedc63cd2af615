package tsv

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	in := "\ufeffparticipant_id\t age \tgroup\r\nsub-01\t54\tRLS\r\n\r\nsub-02\t n/a \tcontrol\r\n"
	tb, err := Read(strings.NewReader(in), "p.tsv", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tb.Header, ",") != "participant_id,age,group" || len(tb.Rows) != 2 || tb.Rows[1][1] != "n/a" || !IsMissing(tb.Rows[1][1]) {
		t.Fatalf("header %q rows %q", tb.Header, tb.Rows)
	}
	if tb.Line(1) != 4 || tb.Index("group") != 2 || tb.Index("sex") != -1 {
		t.Errorf("line %d index %d", tb.Line(1), tb.Index("group"))
	}
	// "sub-02\t n/a \t": the age cell starts at byte 8.
	if got := tb.Pos(1, 1); got != "p.tsv:4:8" {
		t.Errorf("Pos %q", got)
	}
}

func TestReadErrors(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		lim            Limits
	}{
		{"empty", "", "x.tsv: empty file", Limits{}},
		{"blank header", " \n1\n", "x.tsv:1: empty header line", Limits{}},
		{"empty name", "a\t\tc\n", "x.tsv:1:3: column 2 has an empty name", Limits{}},
		{"duplicate", "a\tb\ta\n", `x.tsv:1:5: column "a" appears twice (columns 1 and 3)`, Limits{}},
		{"too many", "a\tb\n1\t2\t3\n", "x.tsv:2:5: 3 fields, the header has 2 columns", Limits{}},
		{"too few", "a\tb\tc\n1\t2\n", "x.tsv:2:4: 2 fields, the header has 3 columns", Limits{}},
		{"rows", "a\n1\n2\n3\n", "x.tsv:4: more than 2 rows", Limits{MaxRows: 2}},
		{"line", "a\n" + strings.Repeat("1", 100) + "\n", "x.tsv:2: line longer than 64 bytes", Limits{MaxLineBytes: 64}},
		{"bytes", "a\n" + strings.Repeat("1\n", 100), "x.tsv: more than 50 bytes", Limits{MaxBytes: 50}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.in), "x.tsv", c.lim)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want %q…", err, c.want)
			}
			if c.lim != (Limits{}) && !errors.Is(err, ErrLimit) {
				t.Errorf("%v does not wrap ErrLimit", err)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v                 float64
		num, fixed1, sig3 string
	}{
		{math.NaN(), "n/a", "n/a", "n/a"},
		{math.Inf(1), "n/a", "n/a", "n/a"},
		{math.Inf(-1), "n/a", "n/a", "n/a"},
		{0.1, "0.1", "0.1", "0.1"},
		{-2.25, "-2.25", "-2.2", "-2.25"},
		{1234.5678, "1234.5678", "1234.6", "1.23e+03"},
	} {
		if got := Num(c.v); got != c.num {
			t.Errorf("Num(%v) = %q, want %q", c.v, got, c.num)
		}
		if got := Fixed(c.v, 1); got != c.fixed1 {
			t.Errorf("Fixed(%v, 1) = %q, want %q", c.v, got, c.fixed1)
		}
		if got := Sig(c.v, 3); got != c.sig3 {
			t.Errorf("Sig(%v, 3) = %q, want %q", c.v, got, c.sig3)
		}
		finite := !math.IsNaN(c.v) && !math.IsInf(c.v, 0)
		if (OrNil(c.v) == nil) == finite || (Ptr(c.v) == nil) == finite {
			t.Errorf("OrNil/Ptr(%v) wrong", c.v)
		}
	}
}

// Any input either reads into a rectangular table whose positions lie in
// the input, or fails with an error naming the file; never a panic.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"a\tb\n1\t2\n", "\ufeffa\r\n1\r\n", "a\ta\n", "a\tb\n1\n", "", "\n\n", "a\n\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tb, err := Read(strings.NewReader(s), "f.tsv", Limits{MaxBytes: 1 << 16, MaxRows: 1000, MaxLineBytes: 1 << 12})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.tsv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for i, r := range tb.Rows {
			if len(r) != len(tb.Header) {
				t.Fatalf("row %d has %d cells, header %d", i, len(r), len(tb.Header))
			}
			if tb.Line(i) < 2 || tb.Line(i) > strings.Count(s, "\n")+1 {
				t.Fatalf("row %d on line %d", i, tb.Line(i))
			}
			_ = tb.Pos(i, len(r)-1)
		}
	})
}

// Float reads the whole cell: missing spellings are NaN, anything but a
// finite number an error naming the cell.
func TestFloat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64 // NaN: missing
		err  string
	}{
		{"12", 12, ""}, {" -1.5e2 ", -150, ""}, {"0", 0, ""},
		{"n/a", math.NaN(), ""}, {"NA", math.NaN(), ""}, {"", math.NaN(), ""}, {"nan", math.NaN(), ""},
		{"12abc", 0, `"12abc" is not a number`}, {"1,5", 0, `"1,5" is not a number`},
		{"Inf", 0, `"Inf" is not a number`}, {"1 2", 0, `"1 2" is not a number`},
		{"NAN", 0, `"NAN" is not a number`}, {"0x1p-2", 0, `"0x1p-2" is not a number`}, {"1e400", 0, `"1e400" is not a number`}, {"1e-3", 0.001, ""},
	} {
		v, err := Float(tc.in)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("Float(%q) = %v, %v; want error %s", tc.in, v, err, tc.err)
			}
		case err != nil || !(v == tc.want || math.IsNaN(v) && math.IsNaN(tc.want)):
			t.Errorf("Float(%q) = %v, %v; want %v", tc.in, v, err, tc.want)
		}
	}
}
