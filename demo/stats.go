package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"glusleep/internal/atomicfile"
	"glusleep/stats"
)

// paperSummary is the Glx/Cr of Allen et al. (2013): RLS 1.20 ± 0.73
// (n = 28) versus controls 0.80 ± 0.39 (n = 20); published Student t =
// 2.229, df = 46, one-tailed p = 0.0154.
var paperSummary = [2]stats.Summary{{Mean: 1.20, SD: 0.73, N: 28}, {Mean: 0.80, SD: 0.39, N: 20}}

// PaperCheckResult is what PaperCheck wrote and found.
type PaperCheckResult struct {
	// JSON is cfg.Out/stats/paper_check.json.
	JSON string
	// Test is the t test from the published summaries.
	Test stats.TTestResult
}

// PaperCheck recomputes the paper's one-tailed Student t test from its
// published group summaries, writes the comparison to
// cfg.Out/stats/paper_check.json, and fails when t, df or p differ from
// the published 2.229, 46, 0.0154.
func PaperCheck(cfg Config) (*PaperCheckResult, error) {
	r, err := stats.TTestSummary(paperSummary[0], paperSummary[1], stats.TTestOptions{Alternative: stats.Greater, VarEqual: true})
	if err != nil {
		return nil, err
	}
	apa := "thalamic Glx/Cr, RLS (1.20 ± 0.73, n = 28) vs controls (0.80 ± 0.39, n = 20): Student " + r.APA()
	matches := math.Abs(r.T-2.229) < 0.0005 && r.DF == 46 && math.Abs(r.P-0.0154) < 0.00005
	doc := map[string]any{
		"source":    "Allen et al. 2013, published group summary statistics",
		"published": map[string]float64{"t": 2.229, "df": 46, "p_one_tailed": 0.0154},
		"result":    r,
		"apa":       apa,
		"matches":   matches,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.Out, "stats")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "paper_check.json")
	if err := atomicfile.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	fmt.Fprintln(cfg.stdout(), "stats: "+apa)
	if !matches {
		return nil, fmt.Errorf("paper check: t = %.4f, df = %g, p = %.5f differ from the published 2.229, 46, 0.0154", r.T, r.DF, r.P)
	}
	return &PaperCheckResult{JSON: path, Test: r}, nil
}
