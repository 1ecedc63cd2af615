package fit

// ComponentSum returns the sum of the named metabolites' fitted spectra
// (Components, at the fit points, phase removed, amplitude included, no
// baseline), e.g. Glx as ComponentSum("Glu", "Gln"); ok is false when a
// name is not in the basis.
func (r *Result) ComponentSum(names ...string) (sum []complex128, ok bool) {
	if len(names) == 0 || len(r.Components) != len(r.Names) {
		return nil, false
	}
	sum = make([]complex128, len(r.PPM))
	for _, n := range names {
		i := r.Index(n)
		if i < 0 || len(r.Components[i]) != len(sum) {
			return nil, false
		}
		for j, v := range r.Components[i] {
			sum[j] += v
		}
	}
	return sum, true
}

// FigureComponent is one trace drawn beneath the fit: a label, its colour
// and the metabolites summed.
type FigureComponent struct {
	// Label names the trace; Color is its CSS colour.
	Label, Color string
	// Names are the basis metabolites summed into the trace.
	Names []string
}

// FigureComponents are the components the fit figure draws beneath the
// data, top to bottom: Glu and Gln in their own colours and their sum Glx,
// then tNAA, tCr, tCho and myo-inositol. Traces whose metabolites are not
// all in the basis are left out.
var FigureComponents = []FigureComponent{
	{"Glu", "#1f77b4", []string{"Glu"}},
	{"Gln", "#ff7f0e", []string{"Gln"}},
	{"Glx = Glu + Gln", "#9467bd", []string{"Glu", "Gln"}},
	{"NAA + NAAG", "#8c564b", []string{"NAA", "NAAG"}},
	{"Cr + PCr", "#e377c2", []string{"Cr", "PCr"}},
	{"GPC + PCho", "#17becf", []string{"GPC", "PCho"}},
	{"Ins", "#7a7a00", []string{"Ins"}},
}
