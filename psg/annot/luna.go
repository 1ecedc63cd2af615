package annot

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ReadLuna reads a Luna .annot file: rows of six columns "class instance
// channel start stop meta", four "class instance start stop" or three
// "class start stop", separated by tabs (or, when a row has no tab, by
// spaces); preamble lines starting with # (class descriptions) and a
// column-header row starting with "class" are skipped. Start is seconds
// from the recording start, elapsed "0+hh:mm:ss", a clock time "hh:mm:ss"
// (or hh.mm.ss; needs opt.Origin, and a clock time before the origin's is
// on the next day) or an epoch "e:N[:length[:increment]]" (1-based, 30 s
// by default). Stop is the same (an epoch meaning its end), "+s" (a
// duration), "..." (until the start of the next row in the file) or "."
// (the end of the start's epoch; else no duration). Classes that name
// stages (N1, N2, N3, R, W, ?, NREM1…, wake, REM, or the stage map's codes)
// become epochs; the rest are events classified by name.
func ReadLuna(r io.Reader, opt Options) (*Hypnogram, error) {
	rows, err := readLunaRows(r, opt)
	if err != nil {
		return nil, err
	}
	// "..." runs to the next annotation in file order; spans are sorted by
	// FromSpans' caller below.
	var spans []Span
	var events []Event
	for i, r := range rows {
		stop, err := r.stop(rows[i+1:], opt)
		if err != nil {
			return nil, fmt.Errorf("Luna annot line %d: %w", r.line, err)
		}
		if opt.isStage(r.class) {
			st, err := opt.stage(r.class)
			if err != nil {
				return nil, fmt.Errorf("Luna annot line %d: %w", r.line, err)
			}
			spans = append(spans, Span{r.start, stop - r.start, st})
			continue
		}
		label := r.class
		if r.inst != "" && r.inst != "." {
			label += "/" + r.inst
		}
		events = append(events, Event{Onset: r.start, Duration: stop - r.start, Kind: ClassifyEvent(r.class), Label: label})
	}
	return fromScoring(spans, events, opt.epoch(), DialectLuna, "Luna annot")
}

// lunaRow is one annotation line of a Luna .annot file: its class and
// instance, its start in s and its start and stop fields as written.
type lunaRow struct {
	line        int
	class, inst string
	start       float64
	startField  string
	stopField   string
}

// readLunaRows reads the annotation lines of a Luna .annot file (6, 4 or
// 3 columns; blank, comment and header lines skipped), their starts read.
func readLunaRows(r io.Reader, opt Options) ([]lunaRow, error) {
	var rows []lunaRow
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		tr := strings.TrimSpace(text)
		if tr == "" || strings.HasPrefix(tr, "#") {
			continue
		}
		var f []string
		if strings.Contains(text, "\t") {
			f = strings.Split(text, "\t")
		} else {
			f = strings.Fields(text)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		var class, inst, start, stop string
		switch len(f) {
		case 6:
			class, inst, start, stop = f[0], f[1], f[3], f[4]
		case 4:
			class, inst, start, stop = f[0], f[1], f[2], f[3]
		case 3:
			class, start, stop = f[0], f[1], f[2]
		default:
			return nil, fmt.Errorf("Luna annot line %d: %d columns, want 6 (class instance channel start stop meta), 4 (class instance start stop) or 3 (class start stop)", line, len(f))
		}
		if strings.EqualFold(class, "class") && strings.EqualFold(start, "start") {
			continue
		}
		t0, err := lunaTime(start, opt, false)
		if err != nil {
			return nil, fmt.Errorf("Luna annot line %d: start: %w", line, err)
		}
		rows = append(rows, lunaRow{line, class, inst, t0, start, stop})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("Luna annot: %w", err)
	}
	return rows, nil
}

// stop returns r's stop in s: its start for "." (the end of the epoch
// for an epoch start "e:N"), the next later start among the rows after
// it for "...", start + seconds for "+seconds", else the time written.
func (r lunaRow) stop(after []lunaRow, opt Options) (float64, error) {
	var stop float64
	var err error
	switch {
	case r.stopField == ".":
		stop = r.start
		if strings.HasPrefix(r.startField, "e:") {
			if stop, err = lunaTime(r.startField, opt, true); err != nil {
				return 0, fmt.Errorf("stop: %w", err) // not met: the start read the same field
			}
		}
	case r.stopField == "...":
		stop = math.NaN()
		for _, n := range after {
			if n.start > r.start {
				stop = n.start
				break
			}
		}
		if math.IsNaN(stop) {
			return 0, fmt.Errorf("stop \"...\" but no later annotation")
		}
	case strings.HasPrefix(r.stopField, "+"):
		d, e := seconds(r.stopField[1:])
		if e != nil || d < 0 {
			return 0, fmt.Errorf("stop %q, want +seconds ≥ 0", r.stopField)
		}
		stop = r.start + d
	default:
		if stop, err = lunaTime(r.stopField, opt, true); err != nil {
			return 0, fmt.Errorf("stop: %w", err)
		}
	}
	if stop < r.start {
		return 0, fmt.Errorf("stop %g s before start %g s", stop, r.start)
	}
	return stop, nil
}

// lunaTime reads a Luna time field in s from the recording start; an epoch
// "e:N" is the start of epoch N, or its end when stop is true.
func lunaTime(s string, opt Options, stop bool) (float64, error) {
	switch {
	case strings.HasPrefix(s, "e:"):
		p := strings.Split(s[2:], ":")
		n, err := strconv.Atoi(p[0])
		length, inc := opt.epoch(), 0.0
		if len(p) > 1 {
			length, err = seconds(p[1])
		}
		inc = length
		if len(p) > 2 && err == nil {
			inc, err = seconds(p[2])
		}
		if err != nil || len(p) > 3 || n < 1 || n > 1e7 || !(length > 0 && length <= 3600) || !(inc > 0 && inc <= 3600) {
			return 0, fmt.Errorf("epoch %q, want e:N[:length[:increment]] with N ≥ 1 and seconds in (0, 3600]", s)
		}
		t := float64(n-1) * inc
		if stop {
			t += length
		}
		return t, nil
	case strings.HasPrefix(s, "0+"):
		return hms(s[2:])
	case strings.ContainsAny(s, ":") || strings.Count(s, ".") >= 2:
		t, err := hms(strings.ReplaceAll(s, ".", ":"))
		if strings.Count(s, ".") == 3 { // hh.mm.ss.fff
			t, err = hms(strings.Replace(strings.Replace(s, ".", ":", 1), ".", ":", 1))
		}
		if err != nil {
			return 0, err
		}
		if opt.Origin.IsZero() {
			return 0, fmt.Errorf("clock time %q needs the recording start (give the EDF)", s)
		}
		o := opt.Origin
		base := float64(o.Hour()*3600+o.Minute()*60+o.Second()) + float64(o.Nanosecond())/1e9
		d := t - base
		if d < 0 {
			d += 24 * 3600
		}
		return d, nil
	}
	v, err := seconds(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("time %q, want seconds ≥ 0, hh:mm:ss, 0+hh:mm:ss or e:N", s)
	}
	return v, nil
}

// hms reads hh:mm:ss[.fff] as seconds.
func hms(s string) (float64, error) {
	p := strings.Split(s, ":")
	if len(p) != 3 {
		return 0, fmt.Errorf("time %q, want hh:mm:ss", s)
	}
	h, e1 := strconv.Atoi(p[0])
	m, e2 := strconv.Atoi(p[1])
	sec, e3 := seconds(p[2])
	if e1 != nil || e2 != nil || e3 != nil || h < 0 || m < 0 || m > 59 || !(sec >= 0 && sec < 61) {
		return 0, fmt.Errorf("time %q, want hh:mm:ss", s)
	}
	return float64(h*3600+m*60) + sec, nil
}
