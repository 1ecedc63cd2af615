package edf

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Annotation is one EDF+ annotation.
type Annotation struct {
	// Onset is the time in seconds from the recording start.
	Onset float64
	// Duration is the duration in seconds, or −1 when the TAL gives none.
	Duration float64
	// Text is the annotation (UTF-8).
	Text string
}

type keeping struct {
	onset float64
	ok    bool
}

func timeDuration(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

// parseTALs parses the time-stamped annotation lists in one record of an
// annotation signal: each TAL is +onset[\x15duration]\x14text\x14…\x00,
// trailing \x00 bytes are padding. The first TAL's first (empty) text
// marks it as time-keeping; its onset is returned as keep.
func parseTALs(b []byte) ([]Annotation, keeping, error) {
	var out []Annotation
	var keep keeping
	first := true
	for len(b) > 0 {
		if b[0] == 0 {
			b = b[1:]
			continue
		}
		end := bytes.IndexByte(b, 0)
		if end < 0 {
			return nil, keep, fmt.Errorf("%w: TAL without terminating NUL byte", ErrFormat)
		}
		tal := b[:end]
		b = b[end+1:]
		// Fast path: a bare time-keeping TAL "+onset\x14\x14".
		if first && len(tal) > 3 && tal[len(tal)-1] == 0x14 && tal[len(tal)-2] == 0x14 &&
			bytes.IndexByte(tal[:len(tal)-2], 0x14) < 0 && bytes.IndexByte(tal, 0x15) < 0 && (tal[0] == '+' || tal[0] == '-') {
			on, err := strconv.ParseFloat(string(tal[:len(tal)-2]), 64)
			if err == nil && !math.IsNaN(on) && !math.IsInf(on, 0) {
				keep = keeping{onset: on, ok: true}
				first = false
				continue
			}
		}
		parts := strings.Split(string(tal), "\x14")
		if len(parts) < 2 {
			return nil, keep, fmt.Errorf("%w: TAL %q lacks the \\x14 after its onset", ErrFormat, clipTAL(string(tal)))
		}
		ts := parts[0]
		dur := -1.0
		if k := strings.IndexByte(ts, 0x15); k >= 0 {
			d, err := strconv.ParseFloat(ts[k+1:], 64)
			if err != nil || d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
				return nil, keep, fmt.Errorf("%w: TAL duration %q, want seconds ≥ 0", ErrFormat, ts[k+1:])
			}
			dur = d
			ts = ts[:k]
		}
		if len(ts) < 2 || (ts[0] != '+' && ts[0] != '-') {
			return nil, keep, fmt.Errorf("%w: TAL onset %q, want +seconds or -seconds", ErrFormat, ts)
		}
		on, err := strconv.ParseFloat(ts, 64)
		if err != nil || math.IsNaN(on) || math.IsInf(on, 0) {
			return nil, keep, fmt.Errorf("%w: TAL onset %q is not a number", ErrFormat, ts)
		}
		texts := parts[1 : len(parts)-1]
		if parts[len(parts)-1] != "" {
			// The last annotation must be followed by \x14.
			return nil, keep, fmt.Errorf("%w: TAL %q does not end with \\x14", ErrFormat, clipTAL(string(tal)))
		}
		if first {
			first = false
			if len(texts) >= 1 && texts[0] == "" {
				keep = keeping{onset: on, ok: true}
				texts = texts[1:]
			}
		}
		for _, t := range texts {
			if t == "" {
				continue
			}
			if !utf8.ValidString(t) {
				t = strings.ToValidUTF8(t, "\uFFFD")
			}
			out = append(out, Annotation{Onset: on, Duration: dur, Text: t})
		}
	}
	return out, keep, nil
}

func clipTAL(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// formatSeconds writes a TAL time without exponent or trailing zeros.
func formatSeconds(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// encodeTAL writes one TAL for an annotation.
func encodeTAL(a Annotation) []byte {
	var b strings.Builder
	b.WriteString(formatSeconds(a.Onset))
	if a.Duration >= 0 {
		b.WriteByte(0x15)
		b.WriteString(strings.TrimPrefix(formatSeconds(a.Duration), "+"))
	}
	b.WriteByte(0x14)
	b.WriteString(strings.Map(func(r rune) rune {
		if r == 0 || r == 0x14 || r == 0x15 {
			return ' '
		}
		return r
	}, a.Text))
	b.WriteByte(0x14)
	b.WriteByte(0)
	return []byte(b.String())
}
