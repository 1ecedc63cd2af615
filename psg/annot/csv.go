package annot

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Column names read by ReadHypnogramCSV, in order of preference.
var (
	csvOnset    = []string{"onset", "onset_s", "start", "start_s", "start_sec", "time", "time_s"}
	csvDuration = []string{"duration", "duration_s", "dur", "length"}
	csvStage    = []string{"stage", "sleep_stage", "description", "label", "hypnogram", "value", "annotation"}
)

// splitDelimited splits a line at delim, removing surrounding quotes.
func splitDelimited(line string, delim rune) []string {
	f := strings.Split(line, string(delim))
	for i, x := range f {
		x = strings.TrimSpace(x)
		if len(x) >= 2 && x[0] == '"' && x[len(x)-1] == '"' {
			x = x[1 : len(x)-1]
		}
		f[i] = x
	}
	return f
}

// sniffDelimiter returns the delimiter of a header line: tab, semicolon or
// comma.
func sniffDelimiter(line string) rune {
	switch {
	case strings.Contains(line, "\t"):
		return '\t'
	case strings.Contains(line, ";") && !strings.Contains(line, ","):
		return ';'
	}
	return ','
}

func findColumn(hdr []string, names []string) int {
	for _, n := range names {
		for i, h := range hdr {
			if strings.EqualFold(h, n) {
				return i
			}
		}
	}
	return -1
}

// ReadHypnogramCSV reads a hypnogram table with a header: comma-, tab- or
// semicolon-separated, with an onset column (onset, start, time; seconds
// from the recording start), an optional duration column (duration, dur;
// seconds, default opt.Epoch) and a stage column (stage, sleep_stage,
// description, label, value, …) whose codes are read through opt.StageMap,
// then as ParseStage spellings (YASA's WAKE/N1/N2/N3/REM/ART/UNS included).
// Rows whose stage is not a stage are refused naming the line, so that lab
// codes are mapped rather than dropped.
func ReadHypnogramCSV(r io.Reader, opt Options) (*Hypnogram, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var hdr []string
	var delim rune
	on, du, st := -1, -1, -1
	var spans []Span
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		if hdr == nil {
			text = strings.TrimPrefix(text, "\ufeff")
			delim = sniffDelimiter(text)
			hdr = splitDelimited(text, delim)
			on, du, st = findColumn(hdr, csvOnset), findColumn(hdr, csvDuration), findColumn(hdr, csvStage)
			if on < 0 || st < 0 {
				return nil, fmt.Errorf("hypnogram table: header %q lacks an onset column (%s) or a stage column (%s)",
					strings.Join(hdr, string(delim)), strings.Join(csvOnset, ", "), strings.Join(csvStage, ", "))
			}
			continue
		}
		f := splitDelimited(text, delim)
		if len(f) != len(hdr) {
			return nil, fmt.Errorf("hypnogram table line %d: %d values, header has %d columns", line, len(f), len(hdr))
		}
		o, err := seconds(f[on])
		if err != nil || o < 0 {
			return nil, fmt.Errorf("hypnogram table line %d: %s %q, want seconds ≥ 0", line, hdr[on], f[on])
		}
		d := opt.epoch()
		if du >= 0 && f[du] != "" && f[du] != "n/a" {
			if d, err = seconds(f[du]); err != nil || d < 0 {
				return nil, fmt.Errorf("hypnogram table line %d: %s %q, want seconds ≥ 0", line, hdr[du], f[du])
			}
		}
		s, err := opt.stage(f[st])
		if err != nil {
			return nil, fmt.Errorf("hypnogram table line %d: %w (map lab codes with a stage map, e.g. --stage-map 11=W,12=N1)", line, err)
		}
		spans = append(spans, Span{o, d, s})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("hypnogram table: %w", err)
	}
	if hdr == nil {
		return nil, fmt.Errorf("hypnogram table: empty file, want a header line")
	}
	return fromScoring(spans, nil, opt.epoch(), DialectCSV, "hypnogram table")
}
