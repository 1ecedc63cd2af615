package lcmodel

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"glusleep/internal/fft"
	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
	"glusleep/mrs/naming"
)

// Basis is an LCModel .BASIS file: basis spectra of metabolites stored in
// the frequency domain as the FFT of the zero-filled FID (NDATAB = 2 × the
// FID's points), with the sequence parameters.
type Basis struct {
	// SeqPar and Basis1 are the file's $SEQPAR and $BASIS1 header groups.
	SeqPar, Basis1 Namelist
	// Entries are the metabolites in file order.
	Entries []BasisEntry
	// Dwell is BADELT in s; NData is NDATAB (frequency-domain points).
	Dwell float64
	NData int
	// Frequency is HZPPPM in MHz (0 when absent).
	Frequency float64
	// EchoTime is ECHOT in s (0 when absent or negative).
	EchoTime float64
}

// BasisEntry is one metabolite of a basis file.
type BasisEntry struct {
	// Name is METABO.
	Name string
	// Header is the entry's $BASIS group; Used its $NMUSED group when present.
	Header, Used Namelist
	// FID is the time-domain signal, NData/2 points, NIfTI-MRS convention.
	FID []complex128
}

// ReadBasis reads an LCModel .BASIS file.
func ReadBasis(r io.Reader) (*Basis, error) {
	b, err := io.ReadAll(io.LimitReader(r, budget.MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > budget.MaxFileBytes {
		return nil, fmt.Errorf("basis file is over the %d-byte read budget", budget.MaxFileBytes)
	}
	text := string(b)
	pos := 0
	next := func() (Namelist, error) {
		for pos < len(text) && isSpace(text[pos]) {
			pos++
		}
		if pos >= len(text) {
			return Namelist{}, io.EOF
		}
		if text[pos] != '$' && text[pos] != '&' {
			return Namelist{}, fmt.Errorf("expected a namelist ($NAME) near %q", clip(text[pos:]))
		}
		nl, n, err := parseNamelist(text[pos:])
		if err != nil {
			return Namelist{}, err
		}
		pos += n
		if k := strings.IndexByte(text[pos:], '\n'); k >= 0 {
			pos += k + 1
		} else {
			pos = len(text)
		}
		return nl, nil
	}
	bs := &Basis{}
	// Header groups up to and including $BASIS1.
	for {
		nl, err := next()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("header: no $BASIS1 namelist")
			}
			return nil, fmt.Errorf("header: %w", err)
		}
		if nl.Name == "SEQPAR" {
			bs.SeqPar = nl
		}
		if nl.Name == "BASIS1" {
			bs.Basis1 = nl
			break
		}
	}
	if bs.Frequency, err = bs.SeqPar.Float("HZPPPM", 0); err != nil {
		return nil, err
	}
	if te, err := bs.SeqPar.Float("ECHOT", 0); err != nil {
		return nil, err
	} else if te > 0 {
		bs.EchoTime = te / 1000
	}
	dwell, err := bs.Basis1.Float("BADELT", 0)
	if err != nil {
		return nil, err
	}
	// A negative BADELT marks an encrypted basis, which glusleep cannot read.
	if dwell < 0 {
		return nil, fmt.Errorf("$BASIS1: BADELT %g < 0 marks an encrypted basis set, which cannot be read", dwell)
	}
	if !(dwell > 0) {
		return nil, fmt.Errorf("$BASIS1: BADELT %g, want the dwell time in s > 0", dwell)
	}
	bs.Dwell = dwell
	nd, err := bs.Basis1.Float("NDATAB", 0)
	if err != nil {
		return nil, err
	}
	if nd < 2 || nd != math.Trunc(nd) || int(nd)%2 != 0 || nd > maxPoints {
		return nil, fmt.Errorf("$BASIS1: NDATAB %g, want an even number of points ≥ 2", nd)
	}
	bs.NData = int(nd)
	if hz, err := bs.Basis1.Float("HZPPPM", 0); err == nil && hz > 0 && bs.Frequency == 0 {
		bs.Frequency = hz
	}
	ff, fixed := parseFormat(bs.Basis1.String("FMTBAS"))
	plan := fft.New(bs.NData)
	var used Namelist
	for {
		nl, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", len(bs.Entries)+1, err)
		}
		if nl.Name == "NMUSED" {
			used = nl
			continue
		}
		if nl.Name != "BASIS" {
			return nil, fmt.Errorf("entry %d: unexpected namelist $%s, want $BASIS", len(bs.Entries)+1, nl.Name)
		}
		name := strings.TrimSpace(nl.String("METABO"))
		if name == "" {
			return nil, fmt.Errorf("entry %d: $BASIS without METABO", len(bs.Entries)+1)
		}
		vals, n, err := readReals(text[pos:], 2*bs.NData, ff, fixed)
		if err != nil {
			return nil, fmt.Errorf("entry %d (%s): %w", len(bs.Entries)+1, name, err)
		}
		pos += n
		spec := make([]complex128, bs.NData)
		for i := range spec {
			re, im := vals[2*i], vals[2*i+1]
			if math.IsNaN(re) || math.IsNaN(im) || math.IsInf(re, 0) || math.IsInf(im, 0) {
				return nil, fmt.Errorf("entry %d (%s): point %d is not finite", len(bs.Entries)+1, name, i)
			}
			spec[i] = complex(re, im)
		}
		bs.Entries = append(bs.Entries, BasisEntry{Name: name, Header: nl, Used: used, FID: specToFID(plan, spec)})
		used = Namelist{}
	}
	if len(bs.Entries) == 0 {
		return nil, fmt.Errorf("no $BASIS entries")
	}
	return bs, nil
}

// specToFID inverts LCModel's basis storage: the inverse DFT (normalised
// by 1/N) of the stored spectrum, conjugated into the NIfTI-MRS convention,
// truncated to the acquired half.
func specToFID(plan *fft.Plan, spec []complex128) []complex128 {
	n := len(spec)
	// Inverse DFT via the forward transform: ifft(x) = conj(fft(conj(x)))/n.
	tmp := make([]complex128, n)
	for i, v := range spec {
		tmp[i] = complex(real(v), -imag(v))
	}
	plan.Forward(tmp, tmp)
	out := make([]complex128, n/2)
	for i := range out {
		// conj of the inverse, then conj again for LCModel → NIfTI-MRS.
		out[i] = tmp[i] / complex(float64(n), 0)
	}
	return out
}

// fidToSpec is the inverse of specToFID: zero-fill to 2× and transform.
func fidToSpec(plan *fft.Plan, fid []complex128) []complex128 {
	n := 2 * len(fid)
	tmp := make([]complex128, n)
	for i, v := range fid {
		// NIfTI-MRS → LCModel convention: conjugate.
		tmp[i] = complex(real(v), -imag(v))
	}
	return plan.Forward(nil, tmp)
}

// ReadBasisFile reads the .BASIS file at path; errors name the file.
func ReadBasisFile(path string) (*Basis, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := ReadBasis(bufio.NewReader(fh))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// Params returns the basis's acquisition parameters.
func (b *Basis) Params() mrs.Params {
	return mrs.Params{SpectrometerFrequency: b.Frequency, Dwell: b.Dwell, EchoTime: b.EchoTime,
		Nucleus: "1H", Sequence: strings.TrimSpace(b.SeqPar.String("SEQ"))}
}

// WriteBasis writes a .BASIS file for FIDs (NIfTI-MRS convention, all of
// one length) with parameters p. id names the set. Names are written as
// LCModel's default basis sets name them (naming.Name with naming.NamesLCModel:
// PCho as PCh, sIns as Scyllo), so that LCModel's default sums (GPC+PCh)
// and soft constraints (Scyllo/Big3) apply.
func WriteBasis(w io.Writer, id string, p mrs.Params, names []string, fids [][]complex128) error {
	if len(names) != len(fids) || len(fids) == 0 {
		return fmt.Errorf("lcmodel: %d names for %d FIDs", len(names), len(fids))
	}
	n := len(fids[0])
	for i, f := range fids {
		if len(f) != n {
			return fmt.Errorf("lcmodel: basis %s has %d points, %s has %d", names[i], len(f), names[0], n)
		}
	}
	if !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return fmt.Errorf("lcmodel: basis needs dwell (%g s) and frequency (%g MHz)", p.Dwell, p.SpectrometerFrequency)
	}
	q := func(s string) string { return strings.ReplaceAll(s, "'", "''") }
	bw := bufio.NewWriter(w)
	te := -1.0
	if p.EchoTime > 0 {
		te = p.EchoTime * 1000
	}
	fmt.Fprintf(bw, " $SEQPAR\n FWHMBA = -1.,\n HZPPPM = %.9g,\n ECHOT = %.6g,\n SEQ = '%s'\n $END\n", p.SpectrometerFrequency, te, q(p.Sequence))
	fmt.Fprintf(bw, " $BASIS1\n IDBASI = '%s',\n FMTBAS = '(2E17.9)',\n BADELT = %.9g,\n NDATAB = %d\n $END\n", q(id), p.Dwell, 2*n)
	plan := fft.New(2 * n)
	for i, f := range fids {
		name := q(naming.Name(names[i], naming.NamesLCModel))
		fmt.Fprintf(bw, " $BASIS\n ID = '%s',\n METABO = '%s',\n CONC = 1.,\n TRAMP = 1.,\n VOLUME = 1.,\n ISHIFT = 0\n $END\n", name, name)
		for _, v := range fidToSpec(plan, f) {
			fmt.Fprintf(bw, "%17.9E%17.9E\n", real(v), imag(v))
		}
	}
	return bw.Flush()
}
