// Package jmrui reads and writes jMRUI text files (.txt): a header of
// "Key: value" lines (PointsInDataset, DatasetsInFile, SamplingInterval in
// ms, TransmitterFrequency in Hz, MagneticField in T, ...), then for each
// signal a "Signal i out of n in file" line followed by one line per
// point: the FID's real and imaginary parts (and, in files jMRUI writes,
// the spectrum's, which are ignored).
//
// jMRUI's text files hold the FID in the opposite sign convention to
// NIfTI-MRS (spec2nii and FSL-MRS conjugate it on import): Read and Write
// conjugate. The header may name the patient (NameOfPatient): it is kept in
// Data.Meta and never printed unasked.
package jmrui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// ErrFormat reports a file that is not a valid jMRUI text file.
var ErrFormat = errors.New("jmrui: not a valid jMRUI text file")

var signalLine = regexp.MustCompile(`^Signal\s+(\d+)\s+out of\s+(\d+)\s+in file`)

// ReadFile reads a jMRUI .txt file.
func ReadFile(path string) (*mrs.Data, error) {
	b, err := budget.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(b, path)
}

// Read parses jMRUI text; name is used in errors.
func Read(b []byte, name string) (*mrs.Data, error) {
	bad := func(line int, format string, a ...any) error {
		return fmt.Errorf("%w: %s: line %d: %s", ErrFormat, name, line, fmt.Sprintf(format, a...))
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	hdr := map[string]string{}
	var fids [][]complex128
	var cur []complex128
	inData := false
	ln := 0
	cols := 0 // columns of the first data line: every line must have as many
	for sc.Scan() {
		ln++
		line := strings.TrimSpace(sc.Text())
		if m := signalLine.FindStringSubmatch(line); m != nil {
			if cur != nil {
				fids = append(fids, cur)
			}
			cur = []complex128{}
			inData = true
			continue
		}
		if !inData {
			if k, v, ok := strings.Cut(line, ":"); ok && !strings.Contains(k, " ") {
				hdr[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			continue
		}
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return nil, bad(ln, "%q: want the FID's real and imaginary parts", line)
		}
		if cols == 0 {
			cols = len(f)
		} else if len(f) != cols {
			return nil, bad(ln, "%d columns, the first data line has %d: the file is cut short or damaged", len(f), cols)
		}
		re, err1 := strconv.ParseFloat(f[0], 64)
		im, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil || math.IsNaN(re) || math.IsNaN(im) || math.IsInf(re, 0) || math.IsInf(im, 0) {
			return nil, bad(ln, "%q: the first two columns must be numbers", line)
		}
		cur = append(cur, complex(re, -im)) // jMRUI → NIfTI-MRS convention
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	if cur != nil {
		fids = append(fids, cur)
	}
	if len(fids) == 0 {
		return nil, fmt.Errorf("%w: %s: no \"Signal 1 out of N in file\" line followed by data", ErrFormat, name)
	}
	num := func(key string) (float64, error) {
		v, ok := hdr[key]
		if !ok {
			return 0, fmt.Errorf("%w: %s: header field %s missing", ErrFormat, name, key)
		}
		x, err := strconv.ParseFloat(strings.Fields(v + " 0")[0], 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%w: %s: header field %s = %q is not a number", ErrFormat, name, key, v)
		}
		return x, nil
	}
	dt, err := num("SamplingInterval")
	if err != nil {
		return nil, err
	}
	hz, err := num("TransmitterFrequency")
	if err != nil {
		return nil, err
	}
	d := &mrs.Data{FIDs: fids, Meta: map[string]any{}}
	for k, v := range hdr {
		d.Meta[k] = v
	}
	d.Dwell, d.SpectrometerFrequency = dt/1000, hz/1e6
	if bt, err := num("MagneticField"); err == nil {
		d.FieldStrength = bt
	}
	d.Nucleus = "1H"
	if n, err := num("PointsInDataset"); err == nil && int(n) != len(fids[0]) {
		return nil, fmt.Errorf("%w: %s: PointsInDataset %g, signal 1 has %d points", ErrFormat, name, n, len(fids[0]))
	}
	if len(fids) > 1 {
		d.Dims = []mrs.Dim{{Tag: mrs.DimUser0, Size: len(fids)}}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	if err := budget.Finite(d.FIDs); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	return d, nil
}

// Write writes d as jMRUI text (FID columns and the spectrum's, as jMRUI
// writes them), conjugated into jMRUI's convention. No identifying field
// is written.
func Write(w io.Writer, d *mrs.Data, name string) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("jmrui: %w", err)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "jMRUI Data Textfile\n\nFilename: %s\n\n", name)
	fmt.Fprintf(bw, "PointsInDataset: %d\nDatasetsInFile: %d\nSamplingInterval: %s\nZeroOrderPhase: 0E0\nBeginTime: 0E0\n",
		d.Points(), len(d.FIDs), strconv.FormatFloat(d.Dwell*1000, 'E', -1, 64))
	fmt.Fprintf(bw, "TransmitterFrequency: %s\nMagneticField: %s\nTypeOfNucleus: 0E0\nNameOfPatient: \nDateOfExperiment: \nSpectrometer: \nAdditionalInfo: \n\n\n",
		strconv.FormatFloat(d.SpectrometerFrequency*1e6, 'E', -1, 64), strconv.FormatFloat(d.FieldStrength, 'E', -1, 64))
	fmt.Fprintf(bw, "Signal and FFT\nsig(real)\tsig(imag)\tfft(real)\tfft(imag)\n")
	for j, fid := range d.FIDs {
		fmt.Fprintf(bw, "Signal %d out of %d in file\n", j+1, len(d.FIDs))
		c := make([]complex128, len(fid))
		for k, v := range fid {
			c[k] = complex(real(v), -imag(v))
		}
		spec := mrs.Spectrum(c)
		for k, v := range c {
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\n", strconv.FormatFloat(real(v), 'E', -1, 64), strconv.FormatFloat(imag(v), 'E', -1, 64),
				strconv.FormatFloat(real(spec[k]), 'E', -1, 64), strconv.FormatFloat(imag(spec[k]), 'E', -1, 64))
		}
	}
	return bw.Flush()
}

// WriteFile writes d to path atomically.
func WriteFile(path string, d *mrs.Data) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		return Write(w, d, strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".txt"))
	})
}
