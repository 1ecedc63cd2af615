// Package budget holds the checks every MRS reader applies before trusting
// a file: a total-size budget checked before the bytes are read, and
// finite samples.
package budget

import (
	"fmt"
	"io"
	"math"
	"os"
)

// MaxFileBytes is the largest raw MRS file the whole-file readers (RDA,
// DICOM, SPAR/SDAT, jMRUI text, LCModel) read: 256 MiB, far above any
// single-voxel acquisition, well below what would exhaust memory.
const MaxFileBytes = 256 << 20

// ReadFile returns the bytes of path, refusing, before reading, a file
// larger than MaxFileBytes.
func ReadFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s: %d bytes, over the %d-byte read budget for an MRS file", path, st.Size(), MaxFileBytes)
	}
	b, err := io.ReadAll(io.LimitReader(fh, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("%s: over the %d-byte read budget for an MRS file", path, MaxFileBytes)
	}
	return b, nil
}

// Finite returns an error naming the first FID and point that is NaN or
// infinite.
func Finite(fids [][]complex128) error {
	for j, f := range fids {
		for k, v := range f {
			if math.IsNaN(real(v)) || math.IsNaN(imag(v)) || math.IsInf(real(v), 0) || math.IsInf(imag(v), 0) {
				return fmt.Errorf("FID %d point %d is %v: samples must be finite numbers", j, k, v)
			}
		}
	}
	return nil
}
