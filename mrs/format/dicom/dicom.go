// Package dicom reads single-voxel MR spectroscopy from DICOM files: the
// standard MR Spectroscopy Storage object (SOP class
// 1.2.840.10008.5.1.4.1.1.4.2, data in Spectroscopy Data (5600,0020)) and
// Siemens' private spectroscopy objects (.ima, SOP class
// 1.3.12.2.1107.5.9.1, data in (7FE1,1010), parameters in the CSA headers
// (0029,1110)/(0029,1210) and (0029,1120)/(0029,1220)).
//
// Both implicit and explicit VR little-endian transfer syntaxes are read;
// nested sequences are searched for the parameters (enhanced objects keep
// the echo time in per-frame functional groups). Samples are float32
// complex pairs. Siemens stores spectra in the opposite sign convention to
// NIfTI-MRS (the .ima fixture's NAA lies at its mirror image about the
// transmitter until conjugated), so Read conjugates Siemens data (the
// private object, or a standard object whose Manufacturer is Siemens);
// Philips' standard objects are already in the NIfTI-MRS convention (as
// its SDAT files), and other vendors' are taken as they are.
//
// Identifying attributes (group 0010: patient name, ID, birth date) are
// kept in Data.Meta only under their DICOM keywords and never printed by
// glusleep unless asked.
package dicom

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// ErrFormat reports a file that is not DICOM spectroscopy glusleep reads.
var ErrFormat = errors.New("dicom: not readable DICOM spectroscopy")

type tag uint32

func mk(g, e uint16) tag { return tag(uint32(g)<<16 | uint32(e)) }

func (t tag) String() string { return fmt.Sprintf("(%04X,%04X)", uint16(t>>16), uint16(t)) }

// Tags read.
var (
	tagTransferSyntax   = mk(0x0002, 0x0010)
	tagSOPClass         = mk(0x0008, 0x0016)
	tagManufacturer     = mk(0x0008, 0x0070)
	tagPatientName      = mk(0x0010, 0x0010)
	tagPatientID        = mk(0x0010, 0x0020)
	tagPatientBirth     = mk(0x0010, 0x0030)
	tagFieldStrength    = mk(0x0018, 0x0087)
	tagRepetitionTime   = mk(0x0018, 0x0080)
	tagEchoTime         = mk(0x0018, 0x0081)
	tagImagingFrequency = mk(0x0018, 0x0084)
	tagSpectralWidth    = mk(0x0018, 0x9052)
	tagEffectiveEcho    = mk(0x0018, 0x9082)
	tagTransmitterFreq  = mk(0x0018, 0x9098)
	tagResonantNucleus  = mk(0x0018, 0x9100)
	tagSlabThickness    = mk(0x0018, 0x9104)
	tagMidSlab          = mk(0x0018, 0x9106)
	tagSlabOrientation  = mk(0x0018, 0x9105)
	tagImagePosition    = mk(0x0020, 0x0032)
	tagPixelSpacing     = mk(0x0028, 0x0030)
	tagSliceThickness   = mk(0x0018, 0x0050)
	tagImageOrientation = mk(0x0020, 0x0037)
	tagFrames           = mk(0x0028, 0x0008)
	tagDataColumns      = mk(0x0028, 0x9002)
	tagDataRows         = mk(0x0028, 0x9001)
	tagCSAImage         = mk(0x0029, 0x1210)
	tagCSAImageOld      = mk(0x0029, 0x1110)
	tagCSASeries        = mk(0x0029, 0x1220)
	tagCSASeriesOld     = mk(0x0029, 0x1120)
	tagSpectroscopyData = mk(0x5600, 0x0020)
	tagSiemensData      = mk(0x7FE1, 0x1010)
	tagItem             = mk(0xFFFE, 0xE000)
	tagItemEnd          = mk(0xFFFE, 0xE00D)
	tagSeqEnd           = mk(0xFFFE, 0xE0DD)
)

// element is a parsed attribute: its VR (as read or "" for implicit) and
// value bytes.
type element struct {
	vr  string
	val []byte
}

// parser walks a dataset, recording the first occurrence of every tag at
// any nesting depth.
type parser struct {
	b        []byte
	explicit bool
	name     string
	found    map[tag]element
	depth    int
	// all records every occurrence of the tags in multiTags (the items of
	// the Volume Localization Sequence).
	all map[tag][]element
}

// multiTags are recorded at every occurrence, not only the first.
var multiTags = map[tag]bool{tagSlabThickness: true, tagSlabOrientation: true, tagMidSlab: true}

var longVR = map[string]bool{"OB": true, "OD": true, "OF": true, "OL": true, "OW": true, "SQ": true, "UC": true, "UR": true, "UT": true, "UN": true, "OV": true, "SV": true, "UV": true}

func (p *parser) errf(off int, format string, a ...any) error {
	return fmt.Errorf("%w: %s: byte %d: %s", ErrFormat, p.name, off, fmt.Sprintf(format, a...))
}

// parse reads elements from b[off:end] and returns where it stopped (end,
// or after a sequence/item delimiter when stopAt is set).
func (p *parser) parse(off, end int, stopAt tag) (int, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 64 {
		return 0, p.errf(off, "sequences nested too deeply")
	}
	for off < end {
		if off+8 > end {
			return 0, p.errf(off, "element header cut short")
		}
		g := binary.LittleEndian.Uint16(p.b[off:])
		e := binary.LittleEndian.Uint16(p.b[off+2:])
		t := mk(g, e)
		if t == tagItemEnd || t == tagSeqEnd {
			off += 8
			if t == stopAt {
				return off, nil
			}
			continue
		}
		var vr string
		var length uint32
		hdr := 8
		if p.explicit && g != 0xFFFE {
			vr = string(p.b[off+4 : off+6])
			if longVR[vr] {
				if off+12 > end {
					return 0, p.errf(off, "element %s header cut short", t)
				}
				length = binary.LittleEndian.Uint32(p.b[off+8:])
				hdr = 12
			} else {
				length = uint32(binary.LittleEndian.Uint16(p.b[off+6:]))
			}
		} else {
			length = binary.LittleEndian.Uint32(p.b[off+4:])
		}
		off += hdr
		undefined := length == 0xFFFFFFFF
		if vr == "SQ" || (undefined && g != 0xFFFE) || t == tagItem {
			// Sequence or item: parse its contents.
			if undefined {
				stop := tagSeqEnd
				if t == tagItem {
					stop = tagItemEnd
				}
				n, err := p.parse(off, end, stop)
				if err != nil {
					return 0, err
				}
				off = n
			} else {
				if int64(off)+int64(length) > int64(end) {
					return 0, p.errf(off, "element %s of %d bytes runs past the end", t, length)
				}
				if _, err := p.parse(off, off+int(length), 0); err != nil {
					return 0, err
				}
				off += int(length)
			}
			continue
		}
		if undefined || int64(off)+int64(length) > int64(end) {
			return 0, p.errf(off, "element %s of %d bytes runs past the end (%d)", t, length, end)
		}
		el := element{vr: vr, val: p.b[off : off+int(length)]}
		if _, ok := p.found[t]; !ok {
			p.found[t] = el
		}
		if multiTags[t] {
			if p.all == nil {
				p.all = map[tag][]element{}
			}
			p.all[t] = append(p.all[t], el)
		}
		off += int(length)
	}
	return off, nil
}

func (p *parser) str(t tag) string {
	el, ok := p.found[t]
	if !ok {
		return ""
	}
	return strings.TrimRight(string(el.val), "\x00 ")
}

// num returns a numeric attribute: DS/IS text, or FD/FL/UL/US/SL/SS
// binary (the VR is guessed from the length under implicit VR).
func (p *parser) num(t tag) (float64, bool) {
	el, ok := p.found[t]
	if !ok || len(el.val) == 0 {
		return 0, false
	}
	v := el.val
	switch el.vr {
	case "FD":
		return math.Float64frombits(binary.LittleEndian.Uint64(v)), len(v) >= 8
	case "FL":
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(v))), len(v) >= 4
	case "UL":
		return float64(binary.LittleEndian.Uint32(v)), len(v) >= 4
	case "US":
		return float64(binary.LittleEndian.Uint16(v)), len(v) >= 2
	case "DS", "IS":
	case "":
		// Implicit VR: the tags read here are FD (8 bytes), UL (4 bytes)
		// or text.
		switch t {
		case tagSpectralWidth, tagTransmitterFreq, tagEffectiveEcho, tagSlabThickness:
			if len(v) >= 8 {
				return math.Float64frombits(binary.LittleEndian.Uint64(v)), true
			}
		case tagDataColumns, tagDataRows:
			if len(v) >= 4 {
				return float64(binary.LittleEndian.Uint32(v)), true
			}
		}
	}
	s := strings.TrimSpace(strings.Split(strings.TrimRight(string(v), "\x00 "), "\\")[0])
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
}

// ReadFile reads a DICOM spectroscopy file.
func ReadFile(path string) (*mrs.Data, error) {
	b, err := budget.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(b, path)
}

// Read parses DICOM spectroscopy bytes; name is used in errors.
func Read(b []byte, name string) (*mrs.Data, error) {
	p, err := scan(b, name)
	if err != nil {
		return nil, err
	}
	return p.data()
}

// scan parses the file meta information and the dataset of b, recording
// every attribute (first occurrence at any depth).
func scan(b []byte, name string) (*parser, error) {
	p := &parser{b: b, name: name, found: map[tag]element{}}
	off := 0
	if len(b) >= 132 && string(b[128:132]) == "DICM" {
		off = 132
	} else {
		return nil, fmt.Errorf("%w: %s: no DICM marker at byte 128 (not a DICOM Part 10 file)", ErrFormat, name)
	}
	// File meta information (always explicit VR little endian): group 2.
	p.explicit = true
	metaEnd := off
	for metaEnd+6 <= len(b) && binary.LittleEndian.Uint16(b[metaEnd:]) == 0x0002 {
		vr := string(b[metaEnd+4 : metaEnd+6])
		var l, h int
		if longVR[vr] {
			if metaEnd+12 > len(b) {
				return nil, p.errf(metaEnd, "file meta element cut short")
			}
			l, h = int(binary.LittleEndian.Uint32(b[metaEnd+8:])), 12
		} else {
			if metaEnd+8 > len(b) {
				return nil, p.errf(metaEnd, "file meta element cut short")
			}
			l, h = int(binary.LittleEndian.Uint16(b[metaEnd+6:])), 8
		}
		if l < 0 || metaEnd+h+l > len(b) {
			return nil, p.errf(metaEnd, "file meta element runs past the end")
		}
		metaEnd += h + l
	}
	if _, err := p.parse(off, metaEnd, 0); err != nil {
		return nil, err
	}
	ts := p.str(tagTransferSyntax)
	switch ts {
	case "1.2.840.10008.1.2":
		p.explicit = false
	case "1.2.840.10008.1.2.1", "":
		p.explicit = true
	default:
		return nil, fmt.Errorf("%w: %s: transfer syntax %s: glusleep reads implicit and explicit VR little endian (uncompressed)", ErrFormat, name, ts)
	}
	if _, err := p.parse(metaEnd, len(b), 0); err != nil {
		return nil, err
	}
	return p, nil
}

// data builds the dataset from the parsed attributes.
func (p *parser) data() (*mrs.Data, error) {
	name := p.name
	sop := p.str(tagSOPClass)
	d := &mrs.Data{Meta: map[string]any{"SOPClassUID": sop}}
	for t, key := range map[tag]string{tagPatientName: "PatientName", tagPatientID: "PatientID", tagPatientBirth: "PatientBirthDate", tagManufacturer: "Manufacturer"} {
		if v := p.str(t); v != "" {
			d.Meta[key] = v
		}
	}
	d.Vendor = p.str(tagManufacturer)
	var raw []byte
	var points int
	var err error
	switch {
	case p.found[tagSpectroscopyData].val != nil:
		raw = p.found[tagSpectroscopyData].val
		if points, err = standardParams(p, d); err != nil {
			return nil, err
		}
	case p.found[tagSiemensData].val != nil:
		raw = p.found[tagSiemensData].val
		if points, err = siemensParams(p, d); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: %s: no spectroscopy data: neither Spectroscopy Data (5600,0020) nor Siemens CSA data (7FE1,1010) (SOP class %s)", ErrFormat, name, sop)
	}
	if points <= 0 {
		points = len(raw) / 8 // one FID
	}
	if points <= 0 {
		return nil, fmt.Errorf("%w: %s: spectroscopy data element is empty", ErrFormat, name)
	}
	if len(raw)%(8*points) != 0 || len(raw) == 0 {
		return nil, fmt.Errorf("%w: %s: %d bytes of spectroscopy data is not a whole number of %d-point complex float32 FIDs", ErrFormat, name, len(raw), points)
	}
	nfid := len(raw) / (8 * points)
	sign := 1.0
	if p.found[tagSiemensData].val != nil || strings.Contains(strings.ToUpper(d.Vendor), "SIEMENS") {
		sign = -1
	}
	for j := 0; j < nfid; j++ {
		fid := make([]complex128, points)
		for k := range fid {
			o := (j*points + k) * 8
			re := float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[o:])))
			im := float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[o+4:])))
			fid[k] = complex(re, sign*im) // vendor → NIfTI-MRS convention
		}
		d.FIDs = append(d.FIDs, fid)
	}
	if nfid > 1 {
		d.Dims = []mrs.Dim{{Tag: mrs.DimDyn, Size: nfid}}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	if err := budget.Finite(d.FIDs); err != nil {
		return nil, fmt.Errorf("%w: %s: spectroscopy data: %v", ErrFormat, name, err)
	}
	return d, nil
}

// standardParams reads MR Spectroscopy Storage attributes into d and
// returns the points per FID.
func standardParams(p *parser, d *mrs.Data) (int, error) {
	need := func(t tag, what string) (float64, error) {
		v, ok := p.num(t)
		if !ok || !(v > 0) {
			return 0, fmt.Errorf("%w: %s: %s %s missing or not positive", ErrFormat, p.name, what, t)
		}
		return v, nil
	}
	mhz, err := need(tagTransmitterFreq, "Transmitter Frequency")
	if err != nil {
		return 0, err
	}
	sw, err := need(tagSpectralWidth, "Spectral Width")
	if err != nil {
		return 0, err
	}
	cols, err := need(tagDataColumns, "Data Point Columns")
	if err != nil {
		return 0, err
	}
	d.SpectrometerFrequency, d.Dwell = mhz, 1/sw
	if te, ok := p.num(tagEffectiveEcho); ok {
		d.EchoTime = te / 1000
	} else if te, ok := p.num(tagEchoTime); ok {
		d.EchoTime = te / 1000
	}
	if tr, ok := p.num(tagRepetitionTime); ok {
		d.RepetitionTime = tr / 1000
	}
	d.FieldStrength, _ = p.num(tagFieldStrength)
	d.Nucleus = p.str(tagResonantNucleus)
	d.Voxel = standardVoxel(p)
	if cols > 1<<20 {
		return 0, fmt.Errorf("%w: %s: Data Point Columns %g is too large", ErrFormat, p.name, cols)
	}
	return int(cols), nil
}

// siemensParams reads the CSA headers of a Siemens spectroscopy object into
// d and returns the points per FID.
func siemensParams(p *parser, d *mrs.Data) (int, error) {
	csa := map[string][]string{}
	for _, t := range []tag{tagCSAImage, tagCSAImageOld, tagCSASeries, tagCSASeriesOld} {
		if el, ok := p.found[t]; ok {
			parseCSA(el.val, csa)
		}
	}
	get := func(key string) (float64, bool) {
		for _, v := range csa[key] {
			if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
				return x, true
			}
		}
		return 0, false
	}
	mhz, ok := get("ImagingFrequency")
	if !ok {
		if mhz, ok = p.num(tagImagingFrequency); !ok {
			return 0, fmt.Errorf("%w: %s: CSA header has no ImagingFrequency", ErrFormat, p.name)
		}
	}
	dwNS, ok := get("RealDwellTime")
	if !ok || !(dwNS > 0) {
		return 0, fmt.Errorf("%w: %s: CSA header has no positive RealDwellTime", ErrFormat, p.name)
	}
	// Points per FID: newer headers say so; older ones (syngo 2004) do
	// not, and the data then hold one FID (0 here).
	n, ok := get("DataPointColumns")
	if !ok {
		n, ok = get("SpectroscopyAcquisitionDataColumns")
	}
	if ok && (n < 1 || n > 1<<20) {
		return 0, fmt.Errorf("%w: %s: CSA header DataPointColumns %g out of range", ErrFormat, p.name, n)
	}
	d.SpectrometerFrequency, d.Dwell = mhz, dwNS*1e-9
	if te, ok := get("EchoTime"); ok {
		d.EchoTime = te / 1000
	}
	if tr, ok := get("RepetitionTime"); ok {
		d.RepetitionTime = tr / 1000
	}
	d.FieldStrength, _ = get("MagneticFieldStrength")
	for _, key := range []string{"ResonantNucleus", "ImagedNucleus"} {
		if v := csa[key]; len(v) > 0 && d.Nucleus == "" {
			d.Nucleus = strings.TrimSpace(v[0])
		}
	}
	if v := csa["SequenceName"]; len(v) > 0 {
		d.Sequence = strings.TrimSpace(v[0])
	}
	d.Voxel = siemensVoxel(csa)
	if d.Vendor == "" {
		d.Vendor = "Siemens"
	}
	return int(n), nil
}

// parseCSA adds the tags of a Siemens CSA header (format "SV10", CSA2, or
// the older CSA1) to out: name → item strings. Malformed input ends the
// parse quietly (the caller reports what is then missing).
func parseCSA(b []byte, out map[string][]string) {
	off := 0
	if len(b) >= 8 && string(b[:4]) == "SV10" {
		off = 8
	}
	if off+8 > len(b) {
		return
	}
	ntags := int(binary.LittleEndian.Uint32(b[off:]))
	off += 8
	if ntags < 1 || ntags > 1000 {
		return
	}
	for i := 0; i < ntags; i++ {
		if off+84 > len(b) {
			return
		}
		name := string(bytes.TrimRight(b[off:off+64], "\x00"))
		if j := bytes.IndexByte(b[off:off+64], 0); j >= 0 {
			name = string(b[off : off+j])
		}
		nitems := int(binary.LittleEndian.Uint32(b[off+76:]))
		off += 84
		if nitems < 0 || nitems > 10000 {
			return
		}
		var vals []string
		for k := 0; k < nitems; k++ {
			if off+16 > len(b) {
				return
			}
			l := int(binary.LittleEndian.Uint32(b[off:]))
			off += 16
			if l < 0 || off+l > len(b) {
				return
			}
			if l > 0 {
				vals = append(vals, strings.TrimRight(string(b[off:off+l]), "\x00 "))
			}
			off += (l + 3) &^ 3
		}
		if len(vals) > 0 {
			out[name] = vals
		}
	}
}

// nums returns the values of a multi-valued numeric attribute: DS text
// separated by backslashes, or FD (8-byte) binary values (implicit VR:
// guessed from a length that is a multiple of 8 and not text).
func (p *parser) nums(t tag) []float64 {
	el, ok := p.found[t]
	if !ok || len(el.val) == 0 {
		return nil
	}
	if el.vr == "FD" || (el.vr == "" && t != tagImagePosition && t != tagImageOrientation && t != tagPixelSpacing && t != tagSliceThickness) {
		return fds(el.val)
	}
	return dsList(string(el.val))
}

// fds decodes little-endian float64 values.
func fds(b []byte) []float64 {
	var out []float64
	for i := 0; i+8 <= len(b); i += 8 {
		out = append(out, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
	}
	return out
}

// dsList parses backslash-separated decimal strings; nil when any is not
// a finite number.
func dsList(s string) []float64 {
	var out []float64
	for _, f := range strings.Split(strings.TrimRight(s, "\x00 "), "\\") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		out = append(out, x)
	}
	return out
}

// planeVoxel returns the LPS voxel of a single-voxel plane: row and column
// directions (ImageOrientationPatient), the normal row × column (as
// dcm2niix and spec2nii form it), edge lengths along row, column and
// normal, and the centre. ok is false when the orientation is unusable.
func planeVoxel(iop []float64, size, centre [3]float64) (mrs.Voxel, bool) {
	if len(iop) < 6 {
		return mrs.Voxel{}, false
	}
	row, ok1 := mrs.Unit([3]float64{iop[0], iop[1], iop[2]})
	col, ok2 := mrs.Unit([3]float64{iop[3], iop[4], iop[5]})
	n, ok3 := mrs.Unit(mrs.Cross(row, col))
	if !ok1 || !ok2 || !ok3 {
		return mrs.Voxel{}, false
	}
	return mrs.Voxel{Size: size, Centre: centre, Frame: "LPS", Axes: [3][3]float64{row, col, n}}, true
}

// standardVoxel returns the voxel of an MR Spectroscopy Storage object:
// from the Volume Localization Sequence when it holds three slabs with
// orientations (edges along the slab normals — the first two negated and
// the third their vector product, as spec2nii forms them — lengths the
// slab thicknesses, centre the first slab's mid position), else from the image
// plane (Image Orientation and Position (Patient), Pixel Spacing — rows
// then columns — and Slice Thickness; the position is the voxel centre, as
// the Volume Localization's mid-slab position confirms in the fixture).
func standardVoxel(p *parser) mrs.Voxel {
	if v, ok := slabVoxel(p); ok {
		return v
	}
	iop, ipp, ps := p.nums(tagImageOrientation), p.nums(tagImagePosition), p.nums(tagPixelSpacing)
	th, _ := p.num(tagSliceThickness)
	if th == 0 {
		th, _ = p.num(tagSlabThickness)
	}
	if len(ipp) >= 3 && len(ps) >= 2 {
		if v, ok := planeVoxel(iop, [3]float64{ps[1], ps[0], th}, [3]float64{ipp[0], ipp[1], ipp[2]}); ok {
			return v
		}
	}
	if th > 0 {
		return mrs.Voxel{Size: [3]float64{th, th, th}, Frame: "LPS"}
	}
	return mrs.Voxel{}
}

// slabVoxel reads three slabs of the Volume Localization Sequence.
func slabVoxel(p *parser) (mrs.Voxel, bool) {
	th, or, mid := p.all[tagSlabThickness], p.all[tagSlabOrientation], p.all[tagMidSlab]
	if len(th) < 3 || len(or) < 3 || len(mid) < 1 {
		return mrs.Voxel{}, false
	}
	v := mrs.Voxel{Frame: "LPS"}
	for i := 0; i < 3; i++ {
		t, o := fds(th[i].val), fds(or[i].val)
		if len(t) < 1 || len(o) < 3 || !(t[0] > 0) {
			return mrs.Voxel{}, false
		}
		u, ok := mrs.Unit([3]float64{-o[0], -o[1], -o[2]})
		if !ok {
			return mrs.Voxel{}, false
		}
		v.Axes[i], v.Size[i] = u, t[0]
	}
	// spec2nii's convention: the first two edges along the negated slab
	// normals, the third their vector product (the box is the same).
	n, ok := mrs.Unit(mrs.Cross(v.Axes[0], v.Axes[1]))
	if !ok {
		return mrs.Voxel{}, false
	}
	v.Axes[2] = n
	c := fds(mid[0].val)
	if len(c) < 3 {
		return mrs.Voxel{}, false
	}
	v.Centre = [3]float64{c[0], c[1], c[2]}
	return v, true
}

// siemensVoxel returns the voxel a Siemens CSA header describes: edges
// along the row and column of ImageOrientationPatient and their normal,
// lengths VoiReadoutFoV, VoiPhaseFoV and VoiThickness where present (else
// PixelSpacing, column then row spacing, and SliceThickness, as syngo 2004
// headers give them), centre VoiPosition, else ImagePositionPatient moved
// by half a voxel along row and column (Siemens gives the plane's corner
// there: the fixture's position (10, −10, 0) with a 20 mm voxel is the
// corner of the voxel centred at the origin, where the RDA export of the
// same protocol puts VOIPosition).
func siemensVoxel(csa map[string][]string) mrs.Voxel {
	get := func(key string, n int) []float64 {
		v := csa[key]
		if len(v) < n {
			return nil
		}
		out := dsList(strings.Join(v[:n], "\\"))
		if len(out) < n {
			return nil
		}
		return out
	}
	var size [3]float64
	voi := false
	if ro, ph, th := get("VoiReadoutFoV", 1), get("VoiPhaseFoV", 1), get("VoiThickness", 1); ro != nil && ph != nil && th != nil {
		size, voi = [3]float64{ro[0], ph[0], th[0]}, true
	} else if ps, th := get("PixelSpacing", 2), get("SliceThickness", 1); ps != nil && th != nil {
		size = [3]float64{ps[1], ps[0], th[0]}
	}
	var centre [3]float64
	corner := false
	if pos := get("VoiPosition", 3); pos != nil {
		centre = [3]float64{pos[0], pos[1], pos[2]}
	} else if pos := get("ImagePositionPatient", 3); pos != nil {
		centre, corner = [3]float64{pos[0], pos[1], pos[2]}, !voi
	}
	v, ok := planeVoxel(get("ImageOrientationPatient", 6), size, centre)
	if !ok {
		return mrs.Voxel{Size: size, Centre: centre, Frame: "LPS"}
	}
	if corner {
		for i := 0; i < 3; i++ {
			v.Centre[i] += (v.Axes[0][i]*size[0] + v.Axes[1][i]*size[1]) / 2
		}
	}
	return v
}
