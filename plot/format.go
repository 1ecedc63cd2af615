package plot

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// textWidth estimates the rendered width in pixels of s at font size fs in
// a sans-serif face (0.6 em per character: wider than the average glyph of
// Helvetica, Arial or DejaVu Sans, so that layouts err on the roomy side).
func textWidth(s string, fs float64) float64 {
	return 0.6 * fs * float64(utf8.RuneCountInString(s))
}

// wrap splits s into lines no wider than w pixels at font size fs,
// breaking at spaces (a word longer than w keeps its own line).
func wrap(s string, fs, w float64) []string {
	if s == "" {
		return nil
	}
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && textWidth(next, fs) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		cur = next
	}
	return append(lines, cur)
}

// engExponent returns the power of ten, a multiple of 3, that tick labels
// of an axis spanning lo..hi are divided by: 0 for values between 0.01 and
// 10 000, else the engineering exponent of the largest magnitude.
func engExponent(lo, hi float64) int {
	m := math.Max(math.Abs(lo), math.Abs(hi))
	if m == 0 || !finite(m) || (m >= 0.01 && m < 1e4) {
		return 0
	}
	return 3 * int(math.Floor(math.Log10(m)/3))
}

var superscripts = map[rune]rune{'-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹'}

// scaleText returns "×10ⁿ" for exponent n.
func scaleText(n int) string {
	var b strings.Builder
	b.WriteString("×10")
	for _, r := range fmt.Sprint(n) {
		b.WriteRune(superscripts[r])
	}
	return b.String()
}

// tickLabels formats ticks divided by 10^exp with as many decimals as
// their step needs, so neighbouring labels always differ.
func tickLabels(t []float64, exp int) []string {
	if len(t) == 0 {
		return nil
	}
	scale := math.Pow(10, float64(exp))
	dec := 0
	if len(t) > 1 {
		step := math.Abs(t[1]-t[0]) / scale
		for dec < 8 && math.Abs(step*math.Pow(10, float64(dec))-math.Round(step*math.Pow(10, float64(dec)))) > 1e-6*step*math.Pow(10, float64(dec)) {
			dec++
		}
	}
	out := make([]string, len(t))
	for i, v := range t {
		s := fmt.Sprintf("%.*f", dec, v/scale)
		if strings.Trim(s, "-0.") == "" {
			s = "0"
		}
		out[i] = strings.Replace(s, "-", "−", 1)
	}
	return out
}

// withScale appends the axis scale to an axis title: "signal (a.u.)" and
// 10⁹ give "signal (a.u., ×10⁹)".
func withScale(label string, exp int) string {
	if exp == 0 {
		return label
	}
	if strings.HasSuffix(label, ")") {
		return strings.TrimSuffix(label, ")") + ", " + scaleText(exp) + ")"
	}
	if label == "" {
		return scaleText(exp)
	}
	return label + " (" + scaleText(exp) + ")"
}
