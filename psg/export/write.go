package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"glusleep/internal/npy"
	"glusleep/psg/edf"
)

type exporter struct {
	f           *edf.File
	p           *plan
	chans       []int
	scale       []float64
	opt         Options
	sum         *Summary
	total, done int
}

// pass streams the group's signals record by record, calling emit with
// the times of the samples inside the window and the (scaled) samples of
// each of the group's columns at those times.
func (ex *exporter) pass(g *group, emit func(t []float64, cols [][]float64) error) error {
	sig := make([]int, len(g.cols))
	for k, c := range g.cols {
		sig[k] = ex.chans[c]
	}
	n := g.perRecord
	t := make([]float64, 0, n)
	cols := make([][]float64, len(g.cols))
	return ex.f.StreamRecords(sig, ex.p.first, ex.p.end-ex.p.first, 0, func(b *edf.Block) error {
		for r, on := range b.Onsets {
			j0, j1 := ex.p.span(b.First+r, n)
			if j1 <= j0 {
				continue
			}
			t = t[:0]
			for j := j0; j < j1; j++ {
				t = append(t, on+float64(j)/g.rate)
			}
			for k, c := range g.cols {
				x := b.Data[k][r*n+j0 : r*n+j1]
				if s := ex.scale[c]; s != 1 {
					for i := range x {
						x[i] *= s
					}
				}
				cols[k] = x
			}
			if err := emit(t, cols); err != nil {
				return err
			}
		}
		ex.done += len(b.Onsets)
		if ex.opt.Progress != nil {
			ex.opt.Progress(ex.done, ex.total)
		}
		return nil
	})
}

// tsv writes one row per sample instant: time_s, then each column.
func (ex *exporter) tsv(w io.Writer, g *group) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("time_s")
	seen := map[string]int{}
	for _, c := range ex.sum.Columns {
		seen[strings.ToLower(c.Label)]++
	}
	for _, c := range ex.sum.Columns {
		name := c.Label + " (" + c.Unit + ")"
		if seen[strings.ToLower(c.Label)] > 1 {
			name = fmt.Sprintf("%s #%d (%s)", c.Label, c.Index+1, c.Unit)
		}
		bw.WriteByte('\t')
		bw.WriteString(sanitize(name))
	}
	bw.WriteByte('\n')
	line := make([]byte, 0, 32*(1+len(g.cols)))
	err := ex.pass(g, func(t []float64, cols [][]float64) error {
		for j, tj := range t {
			line = appendTime(line[:0], tj)
			for _, x := range cols {
				line = append(line, '\t')
				line = strconv.AppendFloat(line, x[j], 'g', 8, 64)
			}
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// appendTime writes a time in s to the nanosecond without trailing zeros
// (removing the float noise of onset + j/rate).
func appendTime(b []byte, t float64) []byte {
	b = strconv.AppendFloat(b, t, 'f', 9, 64)
	n := len(b)
	for b[n-1] == '0' {
		n--
	}
	if b[n-1] == '.' {
		n--
	}
	return b[:n]
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// npy writes one float64 array (samples × (1 + columns)): time_s, then the
// columns.
func (ex *exporter) npy(w io.Writer, g *group) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	n := ex.sum.Columns[g.cols[0]].Samples
	fw, err := npy.NewFloatWriter(bw, npy.Float64, []int{n, 1 + len(g.cols)})
	if err != nil {
		return err
	}
	if err := ex.writeRows(fw, g, true); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeRows writes g's samples to fw, a row per sample: its time in s
// first when withTime, then the columns.
func (ex *exporter) writeRows(fw *npy.FloatWriter, g *group, withTime bool) error {
	var row []float64
	return ex.pass(g, func(t []float64, cols [][]float64) error {
		row = row[:0]
		for j, tj := range t {
			if withTime {
				row = append(row, tj)
			}
			for _, x := range cols {
				row = append(row, x[j])
			}
		}
		return fw.Write(row)
	})
}

// writeTimes writes the times in s of g's samples to fw.
func (ex *exporter) writeTimes(fw *npy.FloatWriter, g *group) error {
	t := make([]float64, 0, g.perRecord)
	for k := ex.p.first; k < ex.p.end; k++ {
		j0, j1 := ex.p.span(k, g.perRecord)
		t = t[:0]
		for j := j0; j < j1; j++ {
			t = append(t, ex.p.onsets[k]+float64(j)/g.rate)
		}
		if err := fw.Write(t); err != nil {
			return err
		}
	}
	return nil
}

// npz writes, per group, time_s, channels, units, rate_hz and data.
func (ex *exporter) npz(w io.Writer, groups []*group) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	a := npy.NewArchive(bw)
	dtype := ex.opt.DType
	if dtype == "" {
		dtype = npy.Float64
	}
	for _, g := range groups {
		suffix := ""
		if len(groups) > 1 {
			suffix = "_" + strings.ReplaceAll(strconv.FormatFloat(g.rate, 'g', -1, 64), ".", "p") + "hz"
		}
		if err := ex.npzGroup(a, g, suffix, dtype); err != nil {
			return err
		}
	}
	if err := a.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// npzGroup writes group g's members (channels, units, rate_hz, time_s and
// data, their names ending in suffix) to a, the data as dtype.
func (ex *exporter) npzGroup(a *npy.Archive, g *group, suffix string, dtype npy.DType) error {
	n := ex.sum.Columns[g.cols[0]].Samples
	var labels, units []string
	for _, c := range g.cols {
		labels = append(labels, ex.sum.Columns[c].Label)
		units = append(units, ex.sum.Columns[c].Unit)
	}
	if err := ex.member(a, "channels"+suffix, func(w io.Writer) error { return npy.WriteStrings(w, labels) }); err != nil {
		return err
	}
	if err := ex.member(a, "units"+suffix, func(w io.Writer) error { return npy.WriteStrings(w, units) }); err != nil {
		return err
	}
	if err := ex.member(a, "rate_hz"+suffix, func(w io.Writer) error { return npy.WriteFloats(w, []float64{g.rate}) }); err != nil {
		return err
	}
	arrays := []struct {
		name  string
		dtype npy.DType
		shape []int
		fill  func(fw *npy.FloatWriter) error
	}{
		{"time_s", npy.Float64, []int{n}, func(fw *npy.FloatWriter) error { return ex.writeTimes(fw, g) }},
		{"data", dtype, []int{n, len(g.cols)}, func(fw *npy.FloatWriter) error { return ex.writeRows(fw, g, false) }},
	}
	for _, arr := range arrays {
		err := ex.member(a, arr.name+suffix, func(w io.Writer) error {
			fw, err := npy.NewFloatWriter(w, arr.dtype, arr.shape)
			if err != nil {
				return err
			}
			if err := arr.fill(fw); err != nil {
				return err
			}
			return fw.Close()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (ex *exporter) member(a *npy.Archive, name string, fill func(io.Writer) error) error {
	mw, err := a.Create(name)
	if err != nil {
		return err
	}
	if err := fill(mw); err != nil {
		return fmt.Errorf("%s: %s: %w", ex.f.Name, name, err)
	}
	return nil
}
