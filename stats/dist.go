package stats

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Distribution functions with the argument conventions of R's p*/q*
// functions, built on gonum's incomplete beta and normal quantile.

// pnorm is the standard normal CDF (lower) or survival (upper).
func pnorm(z float64, lower bool) float64 {
	if !lower {
		z = -z
	}
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// qnorm is the standard normal quantile (Wichura's AS 241, as R).
func qnorm(p float64, lower bool) float64 {
	if !lower {
		p = 1 - p
	}
	return mathext.NormalQuantile(p)
}

// pt is Student's t CDF with df degrees of freedom.
func pt(t, df float64, lower bool) float64 {
	if math.IsInf(t, 0) {
		if (t > 0) == lower {
			return 1
		}
		return 0
	}
	if math.IsInf(df, 1) {
		return pnorm(t, lower)
	}
	// tail = P(T > |t|) = I_{df/(df+t²)}(df/2, 1/2) / 2
	tail := 0.5 * mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
	if (t > 0) == lower {
		return 1 - tail
	}
	if t == 0 {
		return 0.5
	}
	return tail
}

func dt(t, df float64) float64 {
	lg1, _ := math.Lgamma((df + 1) / 2)
	lg2, _ := math.Lgamma(df / 2)
	return math.Exp(lg1 - lg2 - 0.5*math.Log(df*math.Pi) - (df+1)/2*math.Log1p(t*t/df))
}

// qt is Student's t quantile, refined by Newton steps on pt.
func qt(p, df float64, lower bool) float64 {
	if !lower {
		return -qt(p, df, true)
	}
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	if p == 0.5 {
		return 0
	}
	if math.IsInf(df, 1) {
		return qnorm(p, true)
	}
	// t = sign * sqrt(df (1/x - 1)) with x = I^-1_{2 min(p,1-p)}(df/2, 1/2)
	pp := p
	if p > 0.5 {
		pp = 1 - p
	}
	x := mathext.InvRegIncBeta(df/2, 0.5, 2*pp)
	q := math.Sqrt(df * (1/x - 1))
	if p < 0.5 {
		q = -q
	}
	for i := 0; i < 4; i++ {
		var f float64
		if p < 0.5 {
			f = pt(q, df, true) - p
		} else {
			f = -(pt(q, df, false) - (1 - p))
		}
		d := dt(q, df)
		if d == 0 || math.IsNaN(f) {
			break
		}
		step := f / d
		q -= step
		if math.Abs(step) <= 1e-15*math.Abs(q) {
			break
		}
	}
	return q
}

// pf is the upper tail of the F distribution, P(F > f).
func pfUpper(f, df1, df2 float64) float64 {
	if f <= 0 {
		return 1
	}
	return mathext.RegIncBeta(df2/2, df1/2, df2/(df2+df1*f))
}

// pnt is the CDF of the noncentral t distribution (Lenth's AS 243, the
// algorithm of R's pt with ncp), accurate to about 1e-12.
func pnt(t, df, delta float64, lower bool) float64 {
	if math.IsInf(t, 0) {
		if (t > 0) == lower {
			return 1
		}
		return 0
	}
	negdel := false
	tt, del := t, delta
	if t < 0 {
		negdel = true
		tt, del = -t, -delta
	}
	if df > 4e5 || del*del > 2*math.Ln2*1021 {
		s := 1 / (4 * df)
		z := (tt*(1-s) - del) / math.Sqrt(1+tt*tt*2*s)
		return pnorm(z, lower != negdel)
	}
	x := t * t / (t*t + df)
	tnc := 0.0
	if x > 0 {
		lambda := del * del
		p := 0.5 * math.Exp(-0.5*lambda)
		if p == 0 {
			if lower != negdel {
				return 0
			}
			return 1
		}
		q := math.Sqrt(2/math.Pi) * p * del
		s := 0.5 - p
		a := 0.5
		b := 0.5 * df
		rxb := math.Pow(1-x, b)
		lgb, _ := math.Lgamma(b)
		lgb5, _ := math.Lgamma(0.5 + b)
		albeta := 0.5*math.Log(math.Pi) + lgb - lgb5
		xodd := mathext.RegIncBeta(a, b, x)
		godd := 2 * rxb * math.Exp(a*math.Log(x)-albeta)
		tnc = b * x
		xeven := 1 - rxb
		if tnc < 2.220446049250313e-16 {
			xeven = tnc
		}
		geven := tnc * rxb
		tnc = p*xodd + q*xeven
		for it := 1; it <= 1000; it++ {
			a++
			xodd -= godd
			xeven -= geven
			godd *= x * (a + b - 1) / a
			geven *= x * (a + b - 0.5) / (a + 0.5)
			p *= lambda / float64(2*it)
			q *= lambda / float64(2*it+1)
			tnc += p*xodd + q*xeven
			s -= p
			if s <= 0 {
				break
			}
			if 2*s*(xodd-godd) < 1e-12 {
				break
			}
		}
	}
	tnc += pnorm(-del, true)
	if lower != negdel {
		return tnc
	}
	return 0.5 - math.Min(tnc, 1) + 0.5
}
