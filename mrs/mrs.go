// Package mrs holds the types shared by glusleep's MR spectroscopy code:
// complex time-domain data in the NIfTI-MRS convention, the acquisition
// parameters that go with it, and the frequency and chemical-shift axes.
//
// Conventions (NIfTI-MRS, FSL-MRS): a FID is sampled every Dwell seconds
// starting at t = 0; the spectrum is the FFT of the FID with the zero
// frequency moved to the centre (fftshift), so that index i of an N-point
// spectrum has frequency (i − N/2)/(N·Dwell) Hz relative to the transmitter,
// and chemical shift increases with frequency: ppm = CentralPPM + Hz/MHz.
// Vendor formats whose sign convention differs are conjugated when read.
package mrs

import (
	"fmt"
	"math"
	"math/cmplx"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Proton central frequency of the spectrum in ppm (the water resonance at
// body temperature), used by FSL-MRS, spant and LCModel for 1H.
const ProtonCentralPPM = 4.65

// ProtonMHzPerTesla is the proton gyromagnetic ratio γ/2π in MHz/T (CODATA
// 2018): the 1H frequency at B0 tesla is B0·ProtonMHzPerTesla MHz.
const ProtonMHzPerTesla = 42.577478

// Dimension tags of NIfTI-MRS dimensions 5 to 7.
const (
	DimCoil     = "DIM_COIL"
	DimDyn      = "DIM_DYN"
	DimIndirect = "DIM_INDIRECT_0"
	DimEdit     = "DIM_EDIT"
	DimMeas     = "DIM_MEAS"
	DimUser0    = "DIM_USER_0"
	DimISIS     = "DIM_ISIS"
)

// Params are the acquisition parameters of a spectrum. Zero means unknown.
type Params struct {
	// SpectrometerFrequency is the transmitter frequency in MHz.
	SpectrometerFrequency float64
	// Dwell is the sampling interval of the FID in seconds (1/spectral width).
	Dwell float64
	// Nucleus is the resonant nucleus, e.g. "1H".
	Nucleus string
	// EchoTime is TE in seconds.
	EchoTime float64
	// RepetitionTime is TR in seconds.
	RepetitionTime float64
	// MixingTime is the STEAM TM in seconds.
	MixingTime float64
	// Sequence names the localisation, e.g. "PRESS", "STEAM", "sLASER".
	Sequence string
	// Vendor is the scanner manufacturer, e.g. "GE", "Siemens", "Philips".
	Vendor string
	// FieldStrength is B0 in tesla.
	FieldStrength float64
	// Voxel is the voxel geometry, when the format gives it.
	Voxel Voxel
	// CentralPPM is the chemical shift at the transmitter frequency in ppm;
	// zero means ProtonCentralPPM for 1H.
	CentralPPM float64
}

// Voxel is a single voxel's geometry in scanner (LPS for DICOM, RAS for
// NIfTI as stated by Frame) coordinates.
type Voxel struct {
	// Size is the edge lengths in mm (left–right, anterior–posterior, head–foot
	// as the source format orders them).
	Size [3]float64
	// Centre is the voxel centre position in mm.
	Centre [3]float64
	// Frame names the coordinate frame of Centre and Axes, e.g. "RAS" or
	// "LPS" (DICOM patient coordinates).
	Frame string
	// Axes are the unit direction vectors, in Frame, of the voxel's three
	// edges in the order of Size; all zero means the frame's own x, y, z
	// axes (an unrotated voxel). See RASAffine in voxel.go.
	Axes [3][3]float64
}

// Volume returns the voxel volume in mL (cm³), 0 when unknown.
func (v Voxel) Volume() float64 { return v.Size[0] * v.Size[1] * v.Size[2] / 1000 }

// Dim is one higher dimension of a dataset (NIfTI-MRS dimensions 5–7).
type Dim struct {
	// Tag is the NIfTI-MRS dimension tag, e.g. DimCoil.
	Tag string
	// Size is the number of entries along the dimension.
	Size int
}

// Data is a single-voxel MRS dataset: one or more FIDs of Points samples
// each, arranged along the higher dimensions Dims. FIDs are stored in
// column-major order of Dims (first dimension fastest), as NIfTI stores them.
type Data struct {
	Params
	// Dims lists the higher dimensions; empty for a single FID.
	Dims []Dim
	// FIDs holds every FID, len(FIDs) = product of Dims' sizes (1 if none).
	FIDs [][]complex128
	// Meta holds other header fields (NIfTI-MRS JSON keys and values). It
	// may contain identifying fields such as PatientName: never print or
	// write it without the user's request, only what Deidentify keeps.
	Meta map[string]any
}

// Points returns the number of time-domain points per FID.
func (d *Data) Points() int {
	if len(d.FIDs) == 0 {
		return 0
	}
	return len(d.FIDs[0])
}

// Validate checks that the dataset is consistent: at least one FID, every
// FID of the same length, FIDs matching Dims, positive dwell and frequency.
func (d *Data) Validate() error {
	if len(d.FIDs) == 0 {
		return fmt.Errorf("mrs: dataset has no FIDs")
	}
	n := len(d.FIDs[0])
	if n == 0 {
		return fmt.Errorf("mrs: FID has no points")
	}
	for i, f := range d.FIDs {
		if len(f) != n {
			return fmt.Errorf("mrs: FID %d has %d points, FID 0 has %d", i, len(f), n)
		}
	}
	want := 1
	for _, dm := range d.Dims {
		if dm.Size <= 0 {
			return fmt.Errorf("mrs: dimension %s has size %d, want > 0", dm.Tag, dm.Size)
		}
		want *= dm.Size
	}
	if want != len(d.FIDs) {
		return fmt.Errorf("mrs: dimensions %v need %d FIDs, have %d", d.Dims, want, len(d.FIDs))
	}
	if !(d.Dwell > 0) || math.IsInf(d.Dwell, 0) {
		return fmt.Errorf("mrs: dwell time %g s, want > 0", d.Dwell)
	}
	if !(d.SpectrometerFrequency > 0) || math.IsInf(d.SpectrometerFrequency, 0) {
		return fmt.Errorf("mrs: spectrometer frequency %g MHz, want > 0", d.SpectrometerFrequency)
	}
	return nil
}

// DimIndex returns the position of the dimension with the given tag in
// d.Dims, or -1.
func (d *Data) DimIndex(tag string) int {
	for i, dm := range d.Dims {
		if dm.Tag == tag {
			return i
		}
	}
	return -1
}

// Central returns the chemical shift at the transmitter frequency in ppm.
func (p Params) Central() float64 {
	if p.CentralPPM != 0 {
		return p.CentralPPM
	}
	return ProtonCentralPPM
}

// Bandwidth returns the spectral width in Hz.
func (p Params) Bandwidth() float64 { return 1 / p.Dwell }

// HzAxis returns the frequency of each of n spectral points in Hz relative
// to the transmitter, lowest first (the fftshift order of Spectrum).
func (p Params) HzAxis(n int) []float64 {
	ax := make([]float64, n)
	bw := p.Bandwidth()
	for i := range ax {
		ax[i] = (float64(i) - float64(n/2)) * bw / float64(n)
	}
	return ax
}

// PPMAxis returns the chemical shift of each of n spectral points in ppm,
// lowest first, matching Spectrum's order.
func (p Params) PPMAxis(n int) []float64 {
	ax := p.HzAxis(n)
	c := p.Central()
	for i := range ax {
		ax[i] = c + ax[i]/p.SpectrometerFrequency
	}
	return ax
}

// PPMToIndex returns the fractional spectral index of chemical shift ppm in
// an n-point spectrum.
func (p Params) PPMToIndex(ppm float64, n int) float64 {
	hz := (ppm - p.Central()) * p.SpectrometerFrequency
	return hz*float64(n)*p.Dwell + float64(n/2)
}

// TimeAxis returns the sampling times of an n-point FID in seconds.
func (p Params) TimeAxis(n int) []float64 {
	t := make([]float64, n)
	for i := range t {
		t[i] = float64(i) * p.Dwell
	}
	return t
}

// Spectrum returns the spectrum of fid: its discrete Fourier transform
// with the zero frequency in the centre (index n/2), lowest frequency first.
// The first point is not halved; callers that need the baseline-correct
// convention scale fid[0] by 0.5 before calling.
func Spectrum(fid []complex128) []complex128 {
	n := len(fid)
	if n == 0 {
		return nil
	}
	c := getPlan(n)
	s := c.Coefficients(nil, fid)
	putPlan(c)
	// gonum's forward transform uses exp(-2πi·jk/n), the physics sign
	// convention for NIfTI-MRS: a FID exp(+2πi·f·t) peaks at +f.
	return fftshift(s)
}

// FID returns the inverse of Spectrum: the time-domain signal of a centred
// spectrum.
func FID(spec []complex128) []complex128 {
	n := len(spec)
	if n == 0 {
		return nil
	}
	c := getPlan(n)
	s := c.Sequence(nil, ifftshift(spec))
	putPlan(c)
	inv := 1 / float64(n)
	for i := range s {
		s[i] *= complex(inv, 0)
	}
	return s
}

// plans holds, per length, a pool of FFT plans: building one (its
// factorisation and twiddle table) costs about as much as a transform, and
// Spectrum and FID run on every spectrum read, preprocessed and fitted.
var plans sync.Map // int → *sync.Pool of *fourier.CmplxFFT

// getPlan returns a plan for length n from the pool (a new one if empty).
func getPlan(n int) *fourier.CmplxFFT {
	v, ok := plans.Load(n)
	if !ok { // first use of this length: a pool is built only then
		v, _ = plans.LoadOrStore(n, &sync.Pool{New: func() any { return fourier.NewCmplxFFT(n) }})
	}
	return v.(*sync.Pool).Get().(*fourier.CmplxFFT)
}

// putPlan returns c to its length's pool.
func putPlan(c *fourier.CmplxFFT) {
	if v, ok := plans.Load(c.Len()); ok {
		v.(*sync.Pool).Put(c)
	}
}

func fftshift(s []complex128) []complex128 {
	n := len(s)
	out := make([]complex128, n)
	h := n / 2
	// out[i] holds frequency bin (i - h) mod n.
	for i := range out {
		out[i] = s[(i-h+n)%n]
	}
	return out
}

func ifftshift(s []complex128) []complex128 {
	n := len(s)
	out := make([]complex128, n)
	h := n / 2
	for i := range s {
		out[(i-h+n)%n] = s[i]
	}
	return out
}

// Conjugate conjugates fid in place: the conversion between the NIfTI-MRS
// sign convention and vendors' (LCModel .RAW, Philips SDAT, GE P-files as
// stored) that use the opposite one.
func Conjugate(fid []complex128) {
	for i, v := range fid {
		fid[i] = cmplx.Conj(v)
	}
}

// Average returns the point-by-point mean of FIDs of equal length (nil for
// none): the average of transients or frames.
func Average(fids [][]complex128) []complex128 {
	if len(fids) == 0 {
		return nil
	}
	out := make([]complex128, len(fids[0]))
	for _, f := range fids {
		for i, v := range f {
			out[i] += v
		}
	}
	inv := complex(1/float64(len(fids)), 0)
	for i := range out {
		out[i] *= inv
	}
	return out
}
