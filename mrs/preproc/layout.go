package preproc

import "glusleep/mrs"

// layout maps (group, coil, transient) to FID indices of d, groups being
// the combinations of dimensions other than DIM_COIL and DIM_DYN in
// column-major order.
type layout struct {
	groups, coils, dyns int
	index               [][][]int
	dims                []mrs.Dim
}

// channel returns every transient of channel c, group after group.
func (l layout) channel(fids [][]complex128, c int) [][]complex128 {
	var out [][]complex128
	for g := 0; g < l.groups; g++ {
		for t := 0; t < l.dyns; t++ {
			out = append(out, fids[l.index[g][c][t]])
		}
	}
	return out
}

// combine merges the channels of every transient with co: [group][transient].
func (l layout) combine(fids [][]complex128, co *Coils) ([][][]complex128, error) {
	out := make([][][]complex128, l.groups)
	ch := make([][]complex128, l.coils)
	for g := 0; g < l.groups; g++ {
		for t := 0; t < l.dyns; t++ {
			for c := range ch {
				ch[c] = fids[l.index[g][c][t]]
			}
			f, err := co.Combine(ch)
			if err != nil {
				return nil, err
			}
			out[g] = append(out[g], f)
		}
	}
	return out, nil
}

// newLayout indexes the FIDs of d by group, coil and transient (one coil
// and one transient when d lacks DIM_COIL or DIM_DYN).
func newLayout(d *mrs.Data) layout {
	l := layout{coils: 1, dyns: 1, groups: 1}
	ci, di := d.DimIndex(mrs.DimCoil), d.DimIndex(mrs.DimDyn)
	for k, dm := range d.Dims {
		switch k {
		case ci:
			l.coils = dm.Size
		case di:
			l.dyns = dm.Size
		default:
			l.groups *= dm.Size
			l.dims = append(l.dims, dm)
		}
	}
	l.index = make([][][]int, l.groups)
	for g := range l.index {
		l.index[g] = make([][]int, l.coils)
		for c := range l.index[g] {
			l.index[g][c] = make([]int, l.dyns)
		}
	}
	for f := range d.FIDs {
		rem, stride := f, 1
		g, c, t := 0, 0, 0
		for k, dm := range d.Dims {
			i := rem % dm.Size
			rem /= dm.Size
			switch k {
			case ci:
				c = i
			case di:
				t = i
			default:
				g += i * stride
				stride *= dm.Size
			}
		}
		l.index[g][c][t] = f
	}
	return l
}
