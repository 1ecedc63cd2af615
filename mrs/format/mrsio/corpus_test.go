package mrsio

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/format/jmrui"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/nifti"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/badinput from the generators in corpus_test.go")

const corpusDir = "testdata/badinput"

// corpusData is the small spectrum every generated file holds: 64 points,
// a decaying complex exponential, 123.2 MHz, dwell 250 µs.
func corpusData() *mrs.Data {
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, Nucleus: "1H", EchoTime: 0.03, RepetitionTime: 2},
		Meta: map[string]any{}}
	fid := make([]complex128, 64)
	for k := range fid {
		t := float64(k) * d.Dwell
		fid[k] = complex(100*math.Exp(-t/0.05)*math.Cos(2*math.Pi*40*t), 100*math.Exp(-t/0.05)*math.Sin(2*math.Pi*40*t))
	}
	d.FIDs = [][]complex128{fid}
	return d
}

// Valid base files of each format, built without the shared data.
func niftiBytes(t testing.TB, d *mrs.Data) []byte {
	var b bytes.Buffer
	if err := nifti.Write(&b, &nifti.File{Header: nifti.DefaultHeader(d), Data: d}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipBytes(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

func rdaBytes(d *mrs.Data, vectorSize int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, ">>> Begin of header <<<\r\nMRFrequency: %.6f\r\nDwellTime: %g\r\nVectorSize: %d\r\nTE: 30\r\nTR: 2000\r\nCSIMatrixSize[0]: 1\r\nCSIMatrixSize[1]: 1\r\nCSIMatrixSize[2]: 1\r\n>>> End of header <<<\r\n",
		d.SpectrometerFrequency, d.Dwell*1e6, vectorSize)
	for _, v := range d.FIDs[0] {
		binary.Write(&b, binary.LittleEndian, [2]float64{real(v), -imag(v)})
	}
	return b.Bytes()
}

// vax encodes x as a VAX F-float (1.f × 2^(e−129)).
func vax(x float64) []byte {
	out := make([]byte, 4)
	if x == 0 {
		return out
	}
	frac, exp := math.Frexp(math.Abs(x)) // x = frac × 2^exp, frac in [0.5, 1)
	u := uint32(exp+128)<<23 | uint32((frac*2-1)*(1<<23))&0x7fffff
	if x < 0 {
		u |= 1 << 31
	}
	binary.LittleEndian.PutUint16(out, uint16(u>>16))
	binary.LittleEndian.PutUint16(out[2:], uint16(u))
	return out
}

func sparBytes(samples, rows int) []byte {
	return []byte(fmt.Sprintf("synthesizer_frequency : 123200000\nsample_frequency : 4000\nsamples : %d\nrows : %d\necho_time : 30\n", samples, rows))
}

func sdatBytes(d *mrs.Data) []byte {
	var b []byte
	for _, v := range d.FIDs[0] {
		b = append(b, vax(real(v))...)
		b = append(b, vax(imag(v))...)
	}
	return b
}

// dicomBytes writes a minimal MR Spectroscopy Storage object (explicit VR
// little endian) with columns Data Point Columns.
func dicomBytes(d *mrs.Data, columns uint32) []byte {
	var b bytes.Buffer
	b.Write(make([]byte, 128))
	b.WriteString("DICM")
	short := func(g, e uint16, vr string, val []byte) {
		binary.Write(&b, binary.LittleEndian, [2]uint16{g, e})
		b.WriteString(vr)
		binary.Write(&b, binary.LittleEndian, uint16(len(val)))
		b.Write(val)
	}
	long := func(g, e uint16, vr string, val []byte) {
		binary.Write(&b, binary.LittleEndian, [2]uint16{g, e})
		b.WriteString(vr)
		b.Write([]byte{0, 0})
		binary.Write(&b, binary.LittleEndian, uint32(len(val)))
		b.Write(val)
	}
	fd := func(x float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(x)) }
	short(0x0002, 0x0010, "UI", []byte("1.2.840.10008.1.2.1\x00"))
	short(0x0008, 0x0016, "UI", []byte("1.2.840.10008.5.1.4.1.1.4.2\x00"))
	short(0x0018, 0x9052, "FD", fd(1/d.Dwell))
	short(0x0018, 0x9098, "FD", fd(d.SpectrometerFrequency))
	short(0x0028, 0x9002, "UL", binary.LittleEndian.AppendUint32(nil, columns))
	var data []byte
	for _, v := range d.FIDs[0] {
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(real(v))))
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(imag(v))))
	}
	long(0x5600, 0x0020, "OF", data)
	return b.Bytes()
}

// pfileBytes writes a revision-9 GE P-file header and frames × points
// of int32 data (one baseline frame first, one receiver), with a 20 mm
// voxel at (1, 2, 3) mm on an axial plane.
func pfileBytes(frames, points int) []byte {
	return pfileGeometry(frames, points, [6]float32{20, 20, 20, 1, 2, 3}, [9]float32{120, 120, 3, -120, 120, 3, -120, -120, 3})
}

// pfileGeometry is pfileBytes with opuser8–13 (sizes R/L, A/P, S/I and
// centre R, A, S) and the image corners tlhc, trhc, brhc (R, A, S each).
func pfileGeometry(frames, points int, user [6]float32, corners [9]float32) []byte {
	b := make([]byte, 61464+(frames+1)*points*8)
	le := binary.LittleEndian
	le.PutUint32(b, math.Float32bits(9))
	le.PutUint16(b[74:], uint16(frames))
	le.PutUint16(b[80:], uint16(points))
	le.PutUint16(b[82:], 4)
	le.PutUint32(b[368:], math.Float32bits(4000))
	le.PutUint32(b[424:], 1232000000)
	le.PutUint32(b[60136:], 30000)
	le.PutUint32(b[60128:], 2000000)
	for k, v := range user {
		le.PutUint32(b[60384+4*k:], math.Float32bits(v))
	}
	for k, v := range corners {
		le.PutUint32(b[60088+4*k:], math.Float32bits(v))
	}
	for k := 0; k < (frames+1)*points*2; k++ {
		le.PutUint32(b[61464+4*k:], uint32(int32(1000-k)))
	}
	return b
}

func lcmodelBytes(t testing.TB, d *mrs.Data) []byte {
	var b bytes.Buffer
	if err := lcmodel.Write(&b, "corpus", mrs.Params{}, d.FIDs[0]); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jmruiBytes(t testing.TB, d *mrs.Data) []byte {
	var b bytes.Buffer
	if err := jmrui.Write(&b, d, "corpus"); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cuts returns b cut at a few offsets inside it: in the header, in the
// middle and three bytes before the end.
func cuts(b []byte, offsets ...int) map[string][]byte {
	out := map[string][]byte{}
	for _, o := range offsets {
		if o < 0 {
			o += len(b)
		}
		out[fmt.Sprintf("truncated-%d", o)] = b[:o]
	}
	return out
}

// corpus returns every bad file by name (a .SDAT's .SPAR is added by
// name; SPAR files are named like their SDAT).
func corpus(t testing.TB) map[string][]byte {
	d := corpusData()
	rng := rand.New(rand.NewPCG(15, 16))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	out := map[string][]byte{}
	add := func(prefix, ext string, cases map[string][]byte) {
		for name, b := range cases {
			out[prefix+"-"+name+ext] = b
		}
	}
	common := func(b []byte) map[string][]byte {
		c := cuts(b, 100, len(b)/2, -3)
		c["empty"] = nil
		c["random"] = random
		return c
	}
	// NIfTI-MRS.
	nii := niftiBytes(t, d)
	c := common(nii)
	for k, v := range common(gzipBytes(nii)) {
		if k != "empty" && k != "random" {
			c["gz-"+k] = v
		}
	}
	c["nan"] = niftiWithBadSample(t, math.NaN())
	c["inf"] = niftiWithBadSample(t, math.Inf(-1))
	c["dims-bomb"] = niftiDims(nii, 1<<24, 1<<24)
	add("nifti", ".nii", c)
	add("nifti", ".nii.gz", map[string][]byte{"bomb-2GiB-declared": gzipBomb(niftiDims(nii, 1<<24, 16), 64),
		"bomb-64MiB-tail": gzipBomb(nii, 64)})
	// GE P-file.
	p := pfileBytes(2, 16)
	c = cuts(p, 100, 30000, 61464+50, -3)
	c["empty"], c["random"] = nil, random
	bomb := append([]byte(nil), p[:61464]...)
	binary.LittleEndian.PutUint16(bomb[74:], 32767)
	binary.LittleEndian.PutUint16(bomb[80:], 65535)
	c["frames-bomb"] = bomb
	add("ge", ".7", c)
	// Siemens RDA.
	rda := rdaBytes(d, 64)
	c = common(rda)
	c["vectorsize-bomb"] = rdaBytes(d, 1<<20)
	nanRDA := rdaBytes(d, 64)
	binary.LittleEndian.PutUint64(nanRDA[len(nanRDA)-8:], math.Float64bits(math.Inf(1)))
	c["inf"] = nanRDA
	add("rda", ".rda", c)
	// DICOM.
	dcm := dicomBytes(d, 64)
	c = common(dcm)
	c["columns-bomb"] = dicomBytes(d, 1<<30)
	nanDCM := dicomBytes(d, 64)
	binary.LittleEndian.PutUint32(nanDCM[len(nanDCM)-4:], math.Float32bits(float32(math.NaN())))
	c["nan"] = nanDCM
	add("dicom", ".dcm", c)
	// Philips SPAR/SDAT.
	sdat := sdatBytes(d)
	for name, b := range common(sdat) {
		out["philips-"+name+".SDAT"], out["philips-"+name+".SPAR"] = b, sparBytes(64, 1)
	}
	out["philips-samples-bomb.SDAT"], out["philips-samples-bomb.SPAR"] = sdat, sparBytes(1<<20, 1<<16)
	reserved := append([]byte(nil), sdat...)
	copy(reserved[40:], []byte{0, 0x80, 0, 0}) // sign set, exponent 0
	out["philips-reserved-operand.SDAT"], out["philips-reserved-operand.SPAR"] = reserved, sparBytes(64, 1)
	// LCModel .RAW (format (2E16.6)): cuts mid-number, and the case
	// (the last number cut after its first digits); a cut at a line end
	// leaves whole points, read as they are (a readable case).
	raw := lcmodelBytes(t, d)
	c = map[string][]byte{"empty": nil, "random": random}
	last := bytes.LastIndex(raw[:len(raw)-1], []byte("\n"))
	c["last-number-cut"] = raw[:last+1+16+10] // "   -6.247735E+00" → "   -6.247"
	mid := bytes.Index(raw[len(raw)/2:], []byte("\n")) + len(raw)/2
	c["truncated-mid-number"] = raw[:mid+1+12]
	c["readable-cut-at-line-end"] = raw[:mid+1]
	c["nan"] = append(append(append([]byte(nil), raw[:last+1]...), fmt.Sprintf("%16s%16s\n", "NaN", "0.000000E+00")...), raw[len(raw):]...)
	add("lcmodel", ".RAW", c)
	// jMRUI text: cuts in the header, in the middle, inside the last line's
	// FID columns; a cut in the last line's spectrum column leaves the FID
	// whole (a readable case).
	jm := jmruiBytes(t, d)
	c = cuts(jm, 100, len(jm)/2)
	c["empty"], c["random"] = nil, random
	lastLine := bytes.LastIndex(jm[:len(jm)-1], []byte("\n")) + 1
	tab := bytes.IndexByte(jm[lastLine:], '\t') + lastLine
	c["last-line-cut-in-fid"] = jm[:tab+4]
	c["readable-last-line-cut-in-spectrum"] = jm[:len(jm)-3]
	first := bytes.Index(jm, []byte("in file\n")) + len("in file\n")
	c["nan"] = append(append(append([]byte(nil), jm[:first]...), "NaN"...), jm[first+bytes.IndexByte(jm[first:], '\t'):]...)
	add("jmrui", ".txt", c)
	return out
}

func niftiWithBadSample(t testing.TB, x float64) []byte {
	b := niftiBytes(t, corpusData())
	binary.LittleEndian.PutUint32(b[len(b)-8*20:], math.Float32bits(float32(x)))
	return b
}

// niftiDims returns a NIfTI-2 file whose header declares dim[4] points and
// dim[5] FIDs (the data stay as they were).
func niftiDims(b []byte, points, fids int64) []byte {
	b = append([]byte(nil), b...)
	binary.LittleEndian.PutUint64(b[16:], 5)
	binary.LittleEndian.PutUint64(b[16+8*4:], uint64(points))
	binary.LittleEndian.PutUint64(b[16+8*5:], uint64(fids))
	return b
}

// gzipBomb returns a gzip stream of head followed by mib members each
// inflating to 1 MiB of zeros (about 1 KiB each): a small file that
// unpacks to head plus mib MiB.
func gzipBomb(head []byte, mib int) []byte {
	out := gzipBytes(head)
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(make([]byte, 1<<20))
	w.Close()
	for i := 0; i < mib; i++ {
		out = append(out, z.Bytes()...)
	}
	return out
}

// The committed corpus equals what the generators make (run with
// -update-corpus to rewrite it).
func TestBadInputCorpusCurrent(t *testing.T) {
	want := corpus(t)
	if *updateCorpus {
		os.RemoveAll(corpusDir)
		os.MkdirAll(corpusDir, 0o755)
		for name, b := range want {
			if err := os.WriteFile(filepath.Join(corpusDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s: committed file differs from its generator (run go test -run TestBadInputCorpusCurrent -update-corpus): %v", name, err)
		}
	}
}

// Every file of the committed bad-input corpus ends in an error that names
// the file; none panics.
func TestBadInputCorpus(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); !strings.HasSuffix(n, ".SPAR") && n != "README.md" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) < 40 {
		t.Fatalf("%d corpus files, want the full corpus", len(names))
	}
	want := corpusData()
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(corpusDir, name)
			ds, err := Read(path, Options{SpectrometerFrequency: 123.2, Dwell: 0.00025})
			if strings.Contains(name, "-readable-") {
				// Damage outside the FID: the points present read correctly.
				if err != nil {
					t.Fatal(err)
				}
				got := ds.Data.FIDs[0]
				if len(got) < 16 {
					t.Fatalf("%d points", len(got))
				}
				for k, v := range got {
					w := want.FIDs[0][k]
					if math.Abs(real(v)-real(w)) > 1e-4 || math.Abs(imag(v)-imag(w)) > 1e-4 {
						t.Fatalf("point %d: %v, written %v", k, v, w)
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("read without error: %d FIDs of %d points", len(ds.Data.FIDs), ds.Data.Points())
			}
			if !strings.Contains(err.Error(), name) || strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("error %q does not name the file on one line", err)
			}
		})
	}
}

// FuzzRead feeds bytes to Read under each file extension it dispatches
// on (a .SDAT gets a fixed valid .SPAR beside it); the corpus cases are
// the seeds.
func FuzzRead(f *testing.F) {
	exts := []string{".nii", ".nii.gz", ".7", ".rda", ".dcm", ".SDAT", ".RAW", ".txt"}
	for name, b := range corpus(f) {
		for i, e := range exts {
			if strings.HasSuffix(name, e) {
				f.Add(uint8(i), b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, ext uint8, b []byte) {
		e := exts[int(ext)%len(exts)]
		dir := t.TempDir()
		path := filepath.Join(dir, "fuzz"+e)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if e == ".SDAT" {
			os.WriteFile(filepath.Join(dir, "fuzz.SPAR"), sparBytes(64, 1), 0o644)
		}
		ds, err := Read(path, Options{SpectrometerFrequency: 123.2, Dwell: 0.00025})
		if err != nil {
			return
		}
		if err := ds.Data.Validate(); err != nil {
			t.Fatalf("accepted invalid data: %v", err)
		}
		for _, fid := range ds.Data.FIDs {
			for _, v := range fid {
				if math.IsNaN(real(v)) || math.IsNaN(imag(v)) || math.IsInf(real(v), 0) || math.IsInf(imag(v), 0) {
					t.Fatalf("accepted a non-finite sample %v", v)
				}
			}
		}
	})
}
