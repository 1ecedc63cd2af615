# Reference values for package glusleep/stats, computed with R's own
# functions (stats, boot) where they exist. Run from this folder:
#   Rscript reference.R
# It writes the datasets (*.tsv) and reference.tsv (id, value, tol):
# value printed with sprintf("%.17g"); tol is the relative tolerance the Go
# test applies (1e-10 unless R itself approximates, e.g. uniroot results).
invisible(Sys.setlocale("LC_COLLATE", "C"))
options(warn = 1)
out <- character()
put <- function(id, v, tol = 1e-10) {
  v <- as.numeric(v)
  for (i in seq_along(v)) {
    key <- if (length(v) > 1) paste0(id, "/", i) else id
    out <<- c(out, sprintf("%s\t%.17g\t%g", key, v[i], tol))
  }
}
wtsv <- function(df, file) {
  f <- function(col) if (is.numeric(col)) ifelse(is.na(col), "n/a", sprintf("%.17g", col)) else ifelse(is.na(col), "n/a", as.character(col))
  m <- sapply(df, f)
  if (is.null(dim(m))) m <- matrix(m, nrow = 1)
  writeLines(c(paste(names(df), collapse = "\t"), apply(m, 1, paste, collapse = "\t")), file)
}
alts <- c("two.sided", "greater", "less")

## ---------- two-sample datasets ----------
set.seed(20130501)
two <- list(
  small = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55), y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  tiny  = list(x = c(3.1, 4.7, 5.2), y = c(1.2, 2.9, 3.3, 0.4)),
  ties  = list(x = c(3, 5, 5, 6, 7, 7, 7, 9, 10, 4), y = c(2, 3, 3, 4, 5, 5, 6, 6, 1, 2, 8, 4)),
  ties5 = list(x = c(2, 4, 4, 7, 9), y = c(1, 2, 2, 4, 5, 6)),
  large = list(x = round(rnorm(60, 1.2, 0.7), 1), y = round(rnorm(55, 0.8, 0.4), 1)),
  big   = list(x = rnorm(70, 10, 2), y = rnorm(65, 9.5, 3))
)
for (nm in names(two)) {
  d <- two[[nm]]
  x <- d$x; y <- d$y
  wtsv(data.frame(value = c(x, y), group = c(rep("a", length(x)), rep("b", length(y)))), paste0("two_", nm, ".tsv"))
  for (alt in alts) {
    for (ve in c(TRUE, FALSE)) {
      r <- t.test(x, y, alternative = alt, var.equal = ve, conf.level = 0.9)
      id <- sprintf("ttest/%s/%s/%s", nm, if (ve) "student" else "welch", alt)
      put(paste0(id, "/t"), r$statistic); put(paste0(id, "/df"), r$parameter); put(paste0(id, "/p"), r$p.value)
      put(paste0(id, "/ci"), r$conf.int[is.finite(r$conf.int)])
    }
    r <- t.test(x, alternative = alt, mu = 1)
    id <- sprintf("ttest/%s/one/%s", nm, alt)
    put(paste0(id, "/t"), r$statistic); put(paste0(id, "/p"), r$p.value); put(paste0(id, "/ci"), r$conf.int[is.finite(r$conf.int)])
    # wilcox.test default (exact if n < 50 and no ties, else normal + correction)
    for (cor in c(TRUE, FALSE)) {
      r <- suppressWarnings(wilcox.test(x, y, alternative = alt, correct = cor, conf.int = TRUE, conf.level = 0.95))
      id <- sprintf("mwu/%s/%s/%s", nm, if (cor) "default" else "nocorrect", alt)
      put(paste0(id, "/w"), r$statistic); put(paste0(id, "/p"), r$p.value)
      exact <- grepl("exact", r$method)
      put(paste0(id, "/exact"), as.numeric(exact), 0)
      # exact CIs are order statistics (exact); approximate ones come from uniroot (tol 1e-4)
      tol <- if (exact) 1e-10 else 1e-3
      # without exactness R's estimate is a uniroot root of a step function;
      # where the statistic is zero on a whole interval between two pairwise
      # differences any point of it is a root: allow that interval's width
      ds <- sort(outer(x, y, "-")); k <- findInterval(r$estimate, ds)
      etol <- if (exact || k < 1 || k >= length(ds)) tol else max(tol, (ds[k + 1] - ds[k]) / abs(r$estimate))
      put(paste0(id, "/estimate"), r$estimate, etol)
      put(paste0(id, "/ci"), r$conf.int[is.finite(r$conf.int)], tol)
    }
    r <- wilcox.test(x, y, alternative = alt, exact = FALSE, correct = TRUE)
    put(sprintf("mwu/%s/normal/%s/p", nm, alt), r$p.value)
    # location shift mu = 0.3
    r <- suppressWarnings(wilcox.test(x, y, alternative = alt, mu = 0.3, conf.int = TRUE))
    exact <- grepl("exact", r$method)
    put(sprintf("mwu/%s/mu/%s/w", nm, alt), r$statistic); put(sprintf("mwu/%s/mu/%s/p", nm, alt), r$p.value)
    put(sprintf("mwu/%s/mu/%s/ci", nm, alt), r$conf.int[is.finite(r$conf.int)], if (exact) 1e-10 else 1e-3)
  }
  # exact conditional distribution with ties by brute-force enumeration
  N <- length(x) + length(y)
  if (choose(N, length(x)) <= 1e6) {
    rk <- rank(c(x, y))
    w <- sum(rk[seq_along(x)])
    sums <- colSums(matrix(rk[combn(N, length(x))], nrow = length(x)))
    E <- length(x) * (N + 1) / 2
    eps <- 1e-7
    put(sprintf("mwuexact/%s/two.sided", nm), mean(abs(sums - E) >= abs(w - E) - eps))
    put(sprintf("mwuexact/%s/greater", nm), mean(sums >= w - eps))
    put(sprintf("mwuexact/%s/less", nm), mean(sums <= w + eps))
  }
  # effect sizes: d, Hedges' g (exact J), noncentral-t CI by uniroot on R's pt(ncp)
  nx <- length(x); ny <- length(y); df <- nx + ny - 2
  sp <- sqrt(((nx - 1) * var(x) + (ny - 1) * var(y)) / df)
  dd <- (mean(x) - mean(y)) / sp
  J <- exp(lgamma(df / 2) - lgamma((df - 1) / 2)) / sqrt(df / 2)
  tt <- dd / sqrt(1 / nx + 1 / ny)
  f <- function(ncp, p) pt(tt, df, ncp) - p
  # (pnt warns about precision only at the far ends of the bracket)
  lo <- suppressWarnings(uniroot(f, c(tt - 20, tt + 20), p = 0.975, tol = 1e-13))$root
  hi <- suppressWarnings(uniroot(f, c(tt - 20, tt + 20), p = 0.025, tol = 1e-13))$root
  put(sprintf("effect/%s/d", nm), dd); put(sprintf("effect/%s/g", nm), J * dd)
  put(sprintf("effect/%s/dci", nm), c(lo, hi) * sqrt(1 / nx + 1 / ny), 1e-8)
}

## ---------- Shapiro-Wilk (n = 3, 4..11, >= 12) ----------
for (nm in names(two)) for (g in c("x", "y")) {
  sw <- shapiro.test(two[[nm]][[g]]); put(sprintf("shapiro/%s/%s", nm, g), c(sw$statistic, sw$p.value))
}

## ---------- paired ----------
px <- c(5.1, 4.8, 6.0, 5.5, 6.2, 4.9, 5.7, 6.1, 5.0, 5.9, 6.4, 5.3)
py <- c(4.9, 4.7, 5.2, 5.6, 5.8, 4.1, 5.0, 6.3, 4.4, 5.1, 6.0, 5.2)
wtsv(data.frame(x = px, y = py), "paired.tsv")
for (alt in alts) {
  r <- t.test(px, py, paired = TRUE, alternative = alt, mu = 0.1)
  id <- sprintf("ttest/paired/%s", alt)
  put(paste0(id, "/t"), r$statistic); put(paste0(id, "/df"), r$parameter); put(paste0(id, "/p"), r$p.value)
  put(paste0(id, "/ci"), r$conf.int[is.finite(r$conf.int)])
}

## ---------- the paper's summary statistics (Student, one-tailed) ----------
m1 <- 1.20; s1 <- 0.73; n1 <- 28; m2 <- 0.80; s2 <- 0.39; n2 <- 20
sp <- sqrt(((n1 - 1) * s1^2 + (n2 - 1) * s2^2) / (n1 + n2 - 2))
tp <- (m1 - m2) / (sp * sqrt(1 / n1 + 1 / n2))
put("paper/t", tp); put("paper/df", n1 + n2 - 2); put("paper/p", pt(tp, n1 + n2 - 2, lower.tail = FALSE))

## ---------- correlations ----------
set.seed(7)
cors <- list(
  n5  = list(x = c(1.2, 2.3, 3.1, 4.8, 5.0), y = c(2.0, 1.1, 3.9, 4.2, 6.5)),
  n8  = list(x = c(0.91, 1.32, 0.75, 1.60, 1.05, 1.21, 0.68, 1.44), y = c(33, 41, 20, 75, 38, 52, 29, 48)),
  n20 = { x <- rnorm(20); list(x = x, y = 0.6 * x + rnorm(20)) },
  ties30 = list(x = round(runif(30, 0, 5)), y = round(runif(30, 0, 5) + 0.3 * (1:30) / 6)),
  n60 = { x <- rnorm(60); list(x = x, y = -0.3 * x + rnorm(60)) }
)
for (nm in names(cors)) {
  x <- cors[[nm]]$x; y <- cors[[nm]]$y
  z1 <- round(sin(seq_along(x)) * 3 + x, 3); z2 <- round(cos(seq_along(x) * 2) + 0.5 * y, 3)
  wtsv(data.frame(x = x, y = y, z1 = z1, z2 = z2), paste0("cor_", nm, ".tsv"))
  for (alt in alts) {
    for (m in c("pearson", "spearman", "kendall")) {
      r <- suppressWarnings(cor.test(x, y, method = m, alternative = alt))
      id <- sprintf("cor/%s/%s/%s", nm, m, alt)
      put(paste0(id, "/estimate"), r$estimate); put(paste0(id, "/statistic"), r$statistic); put(paste0(id, "/p"), r$p.value)
      if (m == "pearson" && !is.null(r$conf.int)) put(paste0(id, "/ci"), r$conf.int)
      # Spearman: Fisher z with Fieller et al.'s (1957) SE sqrt(1.06/(n-3)) (formula; cor.test has none)
      if (m == "spearman" && length(x) > 3) {
        zz <- atanh(r$estimate); se <- sqrt(1.06 / (length(x) - 3))
        put(paste0(id, "/ci"), switch(alt, two.sided = tanh(zz + c(-1, 1) * qnorm(0.975) * se), greater = c(tanh(zz - qnorm(0.95) * se), 1), less = c(-1, tanh(zz + qnorm(0.95) * se))))
      }
    }
    r <- suppressWarnings(cor.test(x, y, method = "spearman", alternative = alt, exact = FALSE))
    put(sprintf("cor/%s/spearman_approx/%s/p", nm, alt), r$p.value)
    r <- suppressWarnings(cor.test(x, y, method = "kendall", alternative = alt, exact = FALSE))
    put(sprintf("cor/%s/kendall_approx/%s/p", nm, alt), r$p.value)
    put(sprintf("cor/%s/kendall_approx/%s/z", nm, alt), r$statistic)
    r <- suppressWarnings(cor.test(x, y, method = "kendall", alternative = alt, exact = FALSE, continuity = TRUE))
    put(sprintf("cor/%s/kendall_cc/%s/p", nm, alt), r$p.value)
    r <- suppressWarnings(cor.test(x, y, method = "spearman", alternative = alt, exact = FALSE, continuity = TRUE))
    put(sprintf("cor/%s/spearman_cc/%s/p", nm, alt), r$p.value)
    # partial correlation on covariates z1 (k = 1) and z1, z2 (k = 2)
    n <- length(x)
    if (n >= 8) for (k in 1:2) {
      Z <- cbind(z1, z2)[, 1:k, drop = FALSE]
      for (m in c("pearson", "spearman")) {
        tx <- if (m == "spearman") rank(x) else x; ty <- if (m == "spearman") rank(y) else y
        tZ <- if (m == "spearman") apply(Z, 2, rank) else Z
        rx <- resid(lm(tx ~ tZ)); ry <- resid(lm(ty ~ tZ))
        # y (or x) explained exactly by the covariates: the Go code must refuse
        if (var(rx) <= 1e-12 * var(tx) || var(ry) <= 1e-12 * var(ty)) { put(sprintf("pcor/%s/%s/k%d/%s/degenerate", nm, m, k, alt), 1, 0); next }
        rp <- cor(rx, ry)
        dfp <- n - 2 - k
        tp <- rp * sqrt(dfp / (1 - rp^2))
        p <- switch(alt, two.sided = 2 * pt(-abs(tp), dfp), greater = pt(tp, dfp, lower.tail = FALSE), less = pt(tp, dfp))
        id <- sprintf("pcor/%s/%s/k%d/%s", nm, m, k, alt)
        put(paste0(id, "/estimate"), rp); put(paste0(id, "/t"), tp); put(paste0(id, "/p"), p)
        # second route: from the inverse of the correlation matrix (as ppcor does)
        P <- solve(cor(cbind(tx, ty, tZ))); put(paste0(id, "/estimate_inv"), -P[1, 2] / sqrt(P[1, 1] * P[2, 2]), 1e-9)
        zz <- atanh(rp); se <- if (m == "spearman") sqrt(1.06 / (n - 3 - k)) else 1 / sqrt(n - 3 - k)
        ci <- switch(alt, two.sided = tanh(zz + c(-1, 1) * qnorm(0.975) * se), greater = c(tanh(zz - qnorm(0.95) * se), 1), less = c(-1, tanh(zz + qnorm(0.95) * se)))
        put(paste0(id, "/ci"), ci)
      }
    }
  }
}

## ---------- comparing correlations (formulas transcribed; no cocor in this R) ----------
cmp <- list(c(0.61, 28, 0.10, 20), c(-0.2, 50, 0.45, 60), c(0.3, 10, 0.29, 12))
for (i in seq_along(cmp)) {
  v <- cmp[[i]]
  z <- (atanh(v[1]) - atanh(v[3])) / sqrt(1 / (v[2] - 3) + 1 / (v[4] - 3))
  put(sprintf("cmpind/%d/z", i), z)
  put(sprintf("cmpind/%d/p", i), 2 * pnorm(-abs(z)))
  put(sprintf("cmpind/%d/pgreater", i), pnorm(z, lower.tail = FALSE))
}
dep <- list(c(0.61, 0.35, 0.42, 28), c(0.2, 0.5, -0.1, 100), c(-0.3, 0.1, 0.7, 40))
for (i in seq_along(dep)) {
  v <- dep[[i]]; r12 <- v[1]; r13 <- v[2]; r23 <- v[3]; n <- v[4]
  rm <- (r12 + r13) / 2
  c <- (r23 * (1 - 2 * rm^2) - 0.5 * rm^2 * (1 - 2 * rm^2 - r23^2)) / (1 - rm^2)^2
  z <- (atanh(r12) - atanh(r13)) * sqrt(n - 3) / sqrt(2 - 2 * c)
  put(sprintf("cmpdep/%d/z", i), z); put(sprintf("cmpdep/%d/p", i), 2 * pnorm(-abs(z)))
}

## ---------- p.adjust ----------
pv <- c(0.01, 0.02, 0.03, 0.04, 0.05, 0.5, 0.02, NA, 0.001, 0.9)
for (m in c("bonferroni", "holm", "hochberg", "BH", "BY")) put(paste0("padjust/", m), p.adjust(pv, m)[!is.na(pv)])

## ---------- power ----------
put("power/t/two", power.t.test(n = 20, delta = 0.5, sd = 1)$power)
put("power/t/one", power.t.test(n = 20, delta = 0.5, sd = 1, alternative = "one.sided")$power)
put("power/t/paired", power.t.test(n = 15, delta = 0.3, sd = 0.5, type = "paired")$power)
put("power/t/onesample_strict", power.t.test(n = 8, delta = 0.4, sd = 0.7, type = "one.sample", strict = TRUE)$power)
put("power/t/paper", power.t.test(n = 24, delta = 0.4, sd = 0.59, alternative = "one.sided", sig.level = 0.05)$power)
put("power/t/n80", power.t.test(power = 0.8, delta = 0.5, sd = 1, tol = 1e-12)$n, 1e-8)
put("power/t/n90one", power.t.test(power = 0.9, delta = 0.4, sd = 0.59, alternative = "one.sided", tol = 1e-12)$n, 1e-8)
pwr_r <- function(n, r, sig.level = 0.05, alternative = "two.sided") {
  if (alternative == "two.sided") { r <- abs(r); ttt <- qt(sig.level / 2, df = n - 2, lower = FALSE); rc <- sqrt(ttt^2 / (ttt^2 + n - 2)); zr <- atanh(r) + r / (2 * (n - 1)); zrc <- atanh(rc); return(pnorm((zr - zrc) * sqrt(n - 3)) + pnorm((-zr - zrc) * sqrt(n - 3))) }
  if (alternative == "less") r <- -r
  ttt <- qt(sig.level, df = n - 2, lower = FALSE); rc <- sqrt(ttt^2 / (ttt^2 + n - 2)); zr <- atanh(r) + r / (2 * (n - 1)); zrc <- atanh(rc)
  pnorm((zr - zrc) * sqrt(n - 3))
}
put("power/r/two", pwr_r(28, 0.61)); put("power/r/greater", pwr_r(20, 0.3, alternative = "greater")); put("power/r/less", pwr_r(40, -0.25, 0.01, "less"))
put("power/r/n80", uniroot(function(n) pwr_r(n, 0.3) - 0.8, c(4 + 1e-10, 1e7), tol = 1e-12)$root, 1e-8)

## ---------- linear models ----------
set.seed(42)
n <- 80
group <- sample(c("control", "rls"), n, replace = TRUE)
sex <- sample(c("F", "M"), n, replace = TRUE)
site <- sample(c("A", "B", "C"), n, replace = TRUE)
age <- round(rnorm(n, 55, 9))
glx <- round(rnorm(n, 1.0, 0.5), 3)
wake <- round(40 + 10 * glx + 15 * (group == "rls") + 25 * glx * (group == "rls") + 0.4 * age + 5 * (sex == "M") + 3 * (site == "B") + rnorm(n, 0, 12), 1)
age[c(3, 17)] <- NA; wake[29] <- NA; group[50] <- NA
cohort <- data.frame(participant_id = sprintf("sub-%03d", 1:n), wake = wake, glx = glx, group = group, age = age, sex = sex, site = site)
wtsv(cohort, "cohort.tsv")
cd <- cohort
cd$group <- factor(cd$group, levels = sort(unique(na.omit(cd$group))))
cd$sex <- factor(cd$sex); cd$site <- factor(cd$site)
# a second, small design: 14 rows, 3- and 2-level factors, no-intercept and
# factor-by-covariate-only models
small <- data.frame(y = c(4.1, 5.3, 6.0, 3.2, 7.7, 6.1, 5.5, 8.2, 4.4, 6.9, 7.1, 5.0, 9.3, 3.9),
                    x = c(1.2, 2.0, 2.9, 0.5, 3.8, 2.5, 2.2, 4.1, 1.0, 3.1, 3.3, 1.9, 4.8, 0.8),
                    f = c("lo", "mid", "hi", "lo", "hi", "mid", "lo", "hi", "mid", "hi", "mid", "lo", "hi", "mid"),
                    g = c("p", "q", "p", "q", "p", "q", "q", "p", "p", "q", "p", "q", "q", "p"))
wtsv(small, "lm_small.tsv")
sd_ <- small; sd_$f <- factor(sd_$f); sd_$g <- factor(sd_$g)
designs <- list(
  list(data = cd, forms = c(m1 = "wake ~ glx * group + age + sex", m2 = "wake ~ glx + group", m3 = "wake ~ group * site + glx", m4 = "wake ~ glx * age", m5 = "wake ~ site")),
  list(data = sd_, forms = c(s1 = "y ~ f * g", s2 = "y ~ x * f", s3 = "y ~ x + f - 1", s4 = "y ~ x + f:x", s5 = "y ~ 0 + x")))
for (coding in c("treatment", "sum")) {
  options(contrasts = c(if (coding == "sum") "contr.sum" else "contr.treatment", "contr.poly"))
  for (des in designs) for (mn in names(des$forms)) {
    forms <- des$forms
    fo <- as.formula(forms[[mn]])
    fit <- lm(fo, data = des$data)
    s <- summary(fit)
    id <- sprintf("lm/%s/%s", mn, coding)
    put(paste0(id, "/n"), nobs(fit), 0)
    cf <- coef(s)
    put(paste0(id, "/coef"), cf[, 1]); put(paste0(id, "/se"), cf[, 2]); put(paste0(id, "/t"), cf[, 3]); put(paste0(id, "/p"), cf[, 4])
    put(paste0(id, "/ci"), t(confint(fit, level = 0.95)))
    put(paste0(id, "/sigma"), s$sigma); put(paste0(id, "/r2"), s$r.squared); put(paste0(id, "/adjr2"), s$adj.r.squared)
    put(paste0(id, "/f"), s$fstatistic[1]); put(paste0(id, "/fp"), pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE))
    a1 <- anova(fit)
    put(paste0(id, "/anova1/ss"), a1[["Sum Sq"]]); put(paste0(id, "/anova1/f"), a1[["F value"]][-nrow(a1)]); put(paste0(id, "/anova1/p"), a1[["Pr(>F)"]][-nrow(a1)])
    # types II and III by model comparison on model-matrix columns (car is not installed)
    X <- model.matrix(fit); asg <- attr(X, "assign"); y <- model.response(model.frame(fit))
    fac <- attr(terms(fit), "factors"); labs <- attr(terms(fit), "term.labels")
    rss <- function(keep) if (length(keep) == 0) sum(y^2) else sum(lm.fit(X[, keep, drop = FALSE], y)$residuals^2)
    rssF <- deviance(fit); dfr <- df.residual(fit)
    ss2 <- f2 <- p2 <- numeric()
    for (ti in seq_along(labs)) {
      contains <- sapply(seq_along(labs), function(j) j != ti && all(fac[fac[, ti] > 0, j] > 0))
      excl <- which(contains)
      k1 <- which(!(asg %in% excl)); k0 <- which(!(asg %in% c(excl, ti)))
      ss <- rss(k0) - rss(k1); dft <- sum(asg == ti)
      ss2 <- c(ss2, ss); f2 <- c(f2, (ss / dft) / (rssF / dfr)); p2 <- c(p2, pf((ss / dft) / (rssF / dfr), dft, dfr, lower.tail = FALSE))
    }
    put(paste0(id, "/anova2/ss"), ss2); put(paste0(id, "/anova2/f"), f2); put(paste0(id, "/anova2/p"), p2)
    ss3 <- f3 <- p3 <- numeric()
    tis <- if (attr(terms(fit), "intercept") == 1) 0:length(labs) else seq_along(labs)
    for (ti in tis) {
      k0 <- which(asg != ti)
      ss <- rss(k0) - rssF; dft <- sum(asg == ti)
      ss3 <- c(ss3, ss); f3 <- c(f3, (ss / dft) / (rssF / dfr)); p3 <- c(p3, pf((ss / dft) / (rssF / dfr), dft, dfr, lower.tail = FALSE))
    }
    put(paste0(id, "/anova3/ss"), ss3); put(paste0(id, "/anova3/f"), f3); put(paste0(id, "/anova3/p"), p3)
    if (coding == "treatment") {
      put(paste0(id, "/hat"), hatvalues(fit)); put(paste0(id, "/rstandard"), rstandard(fit))
      put(paste0(id, "/rstudent"), rstudent(fit)); put(paste0(id, "/cooks"), cooks.distance(fit))
      sw <- shapiro.test(residuals(fit)); put(paste0(id, "/shapiro"), c(sw$statistic, sw$p.value))
    }
    # also check type II against anova() of the explicit nested models for one term
  }
}
options(contrasts = c("contr.treatment", "contr.poly"))
# cross-check of the model-comparison route with anova() of two lm fits:
# type II for glx in m2 is anova(lm(wake ~ group), lm(wake ~ glx + group))
cc <- cd[complete.cases(cd[, c("wake", "glx", "group")]), ]
a <- anova(lm(wake ~ group, cc), lm(wake ~ glx + group, cc))
put("lm/m2/treatment/anova2check/ss", a[["Sum of Sq"]][2])
put("lm/m2/treatment/anova2check/f", a[["F"]][2])

## ---------- bootstrap (boot::boot.ci, R's RNG; Go recomputes the intervals from the stored replicates) ----------
library(boot)
set.seed(99)
bx <- two$small$x; by <- two$small$y
bd <- c(bx, two$large$x[1:13])
stat <- function(d, i) mean(d[i])
b <- boot(bd, stat, R = 1999)
jk <- sapply(seq_along(bd), function(i) mean(bd[-i]))
L <- (length(bd) - 1) * (mean(jk) - jk)
ci <- boot.ci(b, conf = 0.9, type = c("perc", "bca"), L = L)
writeLines(sprintf("%.17g", b$t[, 1]), "boot_mean_replicates.txt")
writeLines(sprintf("%.17g", jk), "boot_mean_jackknife.txt")
put("boot/mean/t0", b$t0); put("boot/mean/perc", ci$percent[4:5]); put("boot/mean/bca", ci$bca[4:5])
cx <- cors$n20$x; cy <- cors$n20$y
b2 <- boot(cbind(cx, cy), function(d, i) cor(d[i, 1], d[i, 2]), R = 999)
jk2 <- sapply(seq_along(cx), function(i) cor(cx[-i], cy[-i]))
L2 <- (length(cx) - 1) * (mean(jk2) - jk2)
ci2 <- boot.ci(b2, conf = 0.95, type = c("perc", "bca"), L = L2)
writeLines(sprintf("%.17g", b2$t[, 1]), "boot_cor_replicates.txt")
writeLines(sprintf("%.17g", jk2), "boot_cor_jackknife.txt")
put("boot/cor/t0", b2$t0); put("boot/cor/perc", ci2$percent[4:5]); put("boot/cor/bca", ci2$bca[4:5])

writeLines(c("id\tvalue\ttol", out), "reference.tsv")
cat(R.version.string, "\n", length(out), "reference values\n")
