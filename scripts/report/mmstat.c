// SPDX-License-Identifier: GPL-2.0
/*
 * mmstat - statistics and comparison tool of the kvm-mmu-reclaim benchmark.
 *
 * Host side, plain C, libc and libm only.  Build with
 * "make -C scripts/report [O=dir]" (default O=build/report).
 *
 *   mmstat extract [--csv [--group G]] <run-dir>
 *   mmstat compare [--base NAME] [--md | --json] [[-l LABEL] <metrics.csv>]...
 *   mmstat welch <a1,a2,...> <b1,b2,...>
 *   mmstat ratio [-c LEVEL] <b1,b2,...> <v1,v2,...>
 *   mmstat ratio [-c LEVEL] [--base NAME] -g GROUP -m METRIC -v VARIANT
 *                <metrics.csv>...
 *   mmstat stats <x1,x2,...> | tcdf <t> <df> | tinv <p> <df>   (test helpers)
 *
 * "mmstat --help" prints the full usage; keep it and this comment in step.
 *
 * Inputs
 * ------
 * A run directory (results/<timestamp>/runs/<run-id>/) holds meta.txt
 * (key=value lines; status=ok|failed|timeout, reason=, scenario=, variant=,
 * mode=, pressure=, rep=, param=, kernel=), iter.csv, stats.csv,
 * phases.csv and optionally freed.txt (objects_freed=<n>); or, from a
 * workload other than mmu_reclaim_perf, metrics.txt (name=value lines,
 * taken as they are instead of the CSVs).  An optional reclaim.txt
 * (name=value: the shrinker's tracepoint counts and the host's reclaim
 * counters during the case) adds its metrics as they are.  CSV columns
 * are found by their header name, unknown columns are ignored, a missing
 * column is an error naming the file and the column.  CSV cells are
 * separated by commas, without quoting; blank lines and lines starting with
 * '#' are skipped.  Every error is one "error: ..." line on stderr and exit
 * status 1.
 *
 * Metric definitions (extract)
 * ----------------------------
 * S = [S0, S1], P = [P0, P1], R = [R0, R1] are the steady, pressure and
 * recovery phases from phases.csv.  steady and pressure are required;
 * without a recovery row, R = [P1, last t_ms seen in iter.csv/stats.csv].
 * Latency means pool the iter.csv rows of every vCPU by their phase column;
 * counters use the stats.csv samples (sorted by t_ms) and the phase times.
 *
 * A counter window [a, b] runs from the last sample at or before a to the
 * first sample at or after b (the first or last sample if there is none),
 * so it covers the whole interval even though samples come every ~250 ms.
 * Its increase is the counter's difference between those two samples, its
 * duration the difference of their t_ms.  A counter's steady rate is its
 * increase per ms from the first sample at or after S0 to the last sample
 * at or before S1 (the window of S if fewer than two samples fall inside).
 *
 *   steady_lat_ms    mean lat_us / 1000 of the phase=steady rows of iter.csv
 *   pressure_lat_ms  the same for phase=pressure
 *   recovery_lat_ms  the same for phase=recovery (nan when a phase has no row)
 *   warmup_lat_ms    the same for phase=warmup (the first, populating pass)
 *   slowdown         pressure_lat_ms / steady_lat_ms
 *   populate_ms      mean lat_us / 1000 of the rows with iter 1: each
 *                    vCPU's first pass, which faults in every page (the
 *                    fault path; the overhead scenario)
 *   populate_rel     populate_ms / steady_lat_ms: the first pass in units
 *                    of a fault-free pass of the same run, which cancels
 *                    the speed of the boot (TCG varies by tens of % between
 *                    boots)
 *   extra_faults     increase of pf_taken over the window of P minus the
 *                    steady rate of pf_taken x the window's duration.  Can be
 *                    negative: a guest slowed down by pressure runs fewer
 *                    iterations and may take fewer faults than at the steady
 *                    rate, and the rate's noise lands here too
 *   rebuilds         the same for mmu_cache_miss over the window [P0, R1]
 *                    (pressure + recovery): shadow pages built anew beyond
 *                    the steady rate
 *   zapped           increase of mmu_shadow_zapped over the window of P
 *   recycled         increase of mmu_recycled over the window of P
 *   steady_misses, steady_recycled, steady_faults
 *                    increase of mmu_cache_miss, mmu_recycled, pf_taken over
 *                    the window of S (page-limit and overhead scenarios)
 *   recover_s        per vCPU, the first run of k=3 consecutive iterations
 *                    ending in (P1, R1] whose lat_us are all <= 1.10 x the
 *                    steady mean (faster is fine); the run starts at the
 *                    end of its first iteration minus that iteration's
 *                    latency.  recover_s = max over vCPUs of (start - P1),
 *                    at least 0, in seconds.  If some vCPU has no such run
 *                    (or there is no steady mean): (R1 - P1) / 1000
 *   recovered        1 if recover_s was measured, 0 if it is the fallback
 *   count_before     shrinker_count at the last sample at or before P0
 *   count_after      shrinker_count at the first sample at or after P1
 *   freed_kb         objects_freed x 4 (one 4 KiB page per shadow page) from
 *                    freed.txt if it exists, else
 *                    (count_before - count_after) x 4, at least 0
 *   memfree_delta_kb memfree_kb at the first sample at or after P1 minus
 *                    memfree_kb at the last sample at or before P0
 *   secpt_delta_kb   the same for secpagetables_kb
 *   iterations       iter.csv rows (every phase) / number of distinct vCPUs
 * Only when the run has a scan.csv (shrinkscan -o: t_ms,count_before,
 * count_after,scan_us,count_us; the scale scenario):
 *   scans            rows of scan.csv (debugfs scan calls)
 *   scan_us_mean, scan_us_max    mean and max time of one scan write
 *   count_us_mean, count_us_max  mean and max time of one count read
 *
 * Empty stats.csv cells read as nan; the metrics using them are then nan.
 * A run whose status is not ok prints "status=failed reason=..." only.
 *
 * Statistics
 * ----------
 * stddev is the sample standard deviation (n - 1), coeffvar = 100 x
 * stddev / |amean|.  Welch's t = (mean_a - mean_b) / sqrt(va/na + vb/nb)
 * with Welch-Satterthwaite df; the two-sided p = 2 P(T > |t|).  Student's
 * t distribution and its quantiles come from GSL (gsl_cdf_tdist_Q and
 * gsl_cdf_tdist_Pinv; the normal for infinite df).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../hosttool.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_FIELDS	256
#define REC_K		3	/* good iterations in a row that make a recovery */
#define REC_TOL		0.10	/* good: lat <= (1 + REC_TOL) x steady mean */
#define PAGE_KB		4	/* one shadow page */
#define NUM_LEN		48

static const char usage_extract[] =
"mmstat extract [--csv [--group G]] <run-dir>\n"
"    Print the metrics of one run as metric=value lines, \"status=ok\" first.\n"
"    A run whose status is not ok prints \"status=failed reason=...\" only\n"
"    (exit 0).  --csv prints long-format lines group,variant,rep,metric,value\n"
"    instead (no header; a failed run gives one line with metric status and\n"
"    value failed), group being scenario/mode/pressure[/param] from meta.txt\n"
"    unless --group is given.  A run directory with metrics.txt (name=value\n"
"    lines, names [a-z0-9_]) prints those metrics instead of the CSVs'.\n";

static const char usage_compare[] =
"mmstat compare [--base NAME] [--md [--headline M1,M2,...] | --json |\n"
"               --dat METRIC] [[-l LABEL] <metrics.csv>]...\n"
"    Read long-format lines group,variant,rep,metric,value (the header line\n"
"    is optional: without one the columns are in that order; with one they\n"
"    are found by name and other columns are ignored; \"-\" is stdin).  A\n"
"    value that is nan or inf is left out.  Lines with metric \"status\" and\n"
"    a value other than \"ok\" count as failed runs of their group and\n"
"    variant.  -l LABEL before a file prefixes its variant names: LABEL:name.\n"
"    For each group and metric, one row per variant (the base first): n,\n"
"    failed, min, amean, stddev, coeffvar (%), max, % change of amean vs the\n"
"    base variant (default \"base\"; (v - b) / |b| x 100) and a Welch\n"
"    two-sided t-test mark: * p<0.05, ** p<0.01, blank otherwise, (n<2)\n"
"    when a side has fewer than 2 values.  Two samples of zero variance give\n"
"    p=1 if their means are equal, else p=0.  Output: aligned text, --md a\n"
"    markdown table, --json the same numbers as JSON (nan -> null).\n"
"    --headline (with --md): instead, one table per group in the mmtests\n"
"    layout, variants as columns: a row of runs ok (failed), then a row per\n"
"    listed metric the group has, amean +-stddev and, but for the base, the\n"
"    % change and its mark.\n"
"    --dat METRIC: instead, for plots, one line per group that has METRIC\n"
"    and variant (the base first): group variant n amean min max.\n";

static const char usage_welch[] =
"mmstat welch <a1,a2,...> <b1,b2,...>\n"
"    Welch's two-sample t-test: prints t=, df= (Welch-Satterthwaite) and p=\n"
"    (two-sided).  t = (mean_a - mean_b) / sqrt(var_a/n_a + var_b/n_b).\n"
"    Each sample needs at least 2 values.\n";

static const char usage_ratio[] =
"mmstat ratio [-c LEVEL] <b1,b2,...> <v1,v2,...>\n"
"mmstat ratio [-c LEVEL] [--base NAME] -g GROUP -m METRIC -v VARIANT\n"
"             <metrics.csv>...\n"
"    Paired ratios r_i = v_i / b_i: pairs by position in the first form, by\n"
"    equal rep of the base (default \"base\") and VARIANT rows of GROUP and\n"
"    METRIC in the second (unpaired rows are counted in n_unpaired=).\n"
"    Prints n=, mean= (of r_i), stddev=, df= (n - 1), level= (default\n"
"    0.95), t_crit= (Student t quantile at (1 + level) / 2), ci_lo=, ci_hi=\n"
"    (mean -/+ t_crit x stddev / sqrt(n)) and the same as a % change:\n"
"    change_pct=, change_lo_pct=, change_hi_pct= ((r - 1) x 100).  A\n"
"    \"fault-path overhead <= 1 %\" check is ci_hi <= 1.01.  Needs n >= 2 and\n"
"    no zero base value.  --goal G (a ratio, e.g. 1.01) adds verdict=yes\n"
"    (ci_hi <= G), no (ci_lo > G) or undecided, and n_decide=, the pairs\n"
"    whose CI would exclude G if mean and stddev stayed as they are (n when\n"
"    decided; 0 when none up to 10000 would, as for mean = G).\n";

static const char usage_helpers[] =
"mmstat stats <x1,x2,...>     n, min, max, mean, stddev (n - 1), coeffvar (%)\n"
"mmstat tcdf <t> <df>         Student t CDF P(T <= t); df may be inf\n"
"mmstat tinv <p> <df>         Student t quantile (inverse CDF, GSL)\n";

static const char metric_help[] =
"Metrics of extract.  S = [S0,S1], P = [P0,P1], R = [R0,R1]: the steady,\n"
"pressure and recovery phases of phases.csv (without a recovery row,\n"
"R = [P1, last t_ms seen]).  Latency means pool all vCPUs' iter.csv rows by\n"
"their phase column.  A counter window [a,b] runs from the last stats.csv\n"
"sample at or before a to the first at or after b; its increase and\n"
"duration are the differences between those two samples.  The steady rate\n"
"of a counter is its increase per ms from the first sample at or after S0\n"
"to the last at or before S1 (the window of S if fewer than two inside).\n"
"  steady_lat_ms    mean lat_us/1000 of the phase=steady iterations\n"
"  pressure_lat_ms  the same for phase=pressure\n"
"  recovery_lat_ms  the same for phase=recovery (nan if no such row)\n"
"  warmup_lat_ms    the same for phase=warmup (the first, populating pass)\n"
"  slowdown         pressure_lat_ms / steady_lat_ms\n"
"  extra_faults     pf_taken increase over the window of P minus the steady\n"
"                   pf_taken rate x the window's duration; can be negative\n"
"                   (a slowed-down guest may fault less than at the steady\n"
"                   rate, and the rate's noise lands here)\n"
"  rebuilds         the same for mmu_cache_miss over the window [P0,R1]\n"
"  zapped           mmu_shadow_zapped increase over the window of P\n"
"  recycled         mmu_recycled increase over the window of P\n"
"  steady_misses, steady_recycled, steady_faults\n"
"                   mmu_cache_miss, mmu_recycled, pf_taken increase over\n"
"                   the window of S (page-limit and overhead scenarios)\n"
"  recover_s        per vCPU, the first 3 consecutive iterations ending in\n"
"                   (P1,R1] all with lat <= 1.10 x steady mean; their start\n"
"                   (end of the first minus its latency) - P1, max over\n"
"                   vCPUs, at least 0, in s.  If some vCPU never gets\n"
"                   there: (R1 - P1)/1000 and recovered=0\n"
"  recovered        1 if recover_s was measured, 0 if not\n"
"  count_before     shrinker_count at the last sample at or before P0\n"
"  count_after      shrinker_count at the first sample at or after P1\n"
"  freed_kb         objects_freed x 4 from freed.txt if present, else\n"
"                   (count_before - count_after) x 4, at least 0\n"
"  memfree_delta_kb memfree_kb after P (first sample at or after P1) minus\n"
"                   before P (last sample at or before P0)\n"
"  secpt_delta_kb   the same for secpagetables_kb\n"
"  populate_ms      mean time of the vCPUs' first pass (iter 1, faults in\n"
"                   every page)\n"
"  populate_rel     populate_ms / steady_lat_ms (cancels the boot's speed)\n"
"  iterations       iter.csv rows / number of distinct vCPUs\n"
"A run whose pressure phase has no length (-P 0: page limit, overhead) has\n"
"none of the metrics of P and R: pressure_lat_ms, recovery_lat_ms,\n"
"slowdown, extra_faults, rebuilds, zapped, recycled, recover_s, recovered,\n"
"count_before, count_after, freed_kb, memfree_delta_kb, secpt_delta_kb.\n"
"Only with a scan.csv (shrinkscan -o, the scale scenario):\n"
"  scans            debugfs scan calls (rows of scan.csv)\n"
"  scan_us_mean, scan_us_max    time of one scan write, mean and max\n"
"  count_us_mean, count_us_max  time of one count read, mean and max\n"
"Only with a reclaim.txt (bench cases): its name=value lines as they are\n"
"  (shrinker_calls, shrinker_to_scan, shrinker_freed, shrinker_min_prio,\n"
"  pgscan_kswapd, pgscan_direct, pgsteal, pswpin, pswpout, oom_kills,\n"
"  reclaim_eff, psi_some_ms, psi_full_ms: scripts/guest/bench-lib.sh)\n"
"Empty stats.csv cells read as nan and make the metrics using them nan.\n";

static void __attribute__((format(printf, 1, 2))) warn(const char *fmt, ...)
{
	va_list ap;

	fputs("warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Make room for one more element in a growing array. */
#define GROW(arr, n, cap)						\
	do {								\
		if ((n) >= (cap)) {					\
			(cap) = (cap) ? 2 * (cap) : 16;			\
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));\
		}							\
	} while (0)

/* A whole (trimmed) string as a number: "1.5", "1e3", "nan", "inf"... */
static bool parse_num(const char *s, double *out)
{
	char *end;

	if (!*s)
		return false;
	*out = strtod(s, &end);
	return end != s && *end == '\0';
}

/* %.12g, with nan/inf spelt the same everywhere and no "-0". */
static const char *fmt_num(char *buf, double x)
{
	if (isnan(x))
		return strcpy(buf, "nan");
	if (isinf(x))
		return strcpy(buf, x > 0 ? "inf" : "-inf");
	snprintf(buf, NUM_LEN, "%.12g", x + 0.0);
	return buf;
}

/* ---------------------------------------------------------------- CSV */

struct csv {
	const char *path;
	FILE *f;
	char *line;
	size_t cap;
	unsigned long lineno;
	bool pending;		/* the line in field[] is data not yet returned */
	bool own_hdr;
	int nf;
	char *field[MAX_FIELDS];
	int nhdr;
	char *hdr[MAX_FIELDS];
};

static void csv_split(struct csv *c)
{
	char *p = c->line, *comma;

	c->nf = 0;
	for (;;) {
		if (c->nf == MAX_FIELDS)
			die("%s:%lu: more than %d fields", c->path, c->lineno,
			    MAX_FIELDS);
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		c->field[c->nf++] = trim(p);
		if (!comma)
			break;
		p = comma + 1;
	}
}

/* The next line that is not blank nor a comment, split; false at EOF. */
static bool csv_next(struct csv *c)
{
	char *s;

	if (c->pending) {
		c->pending = false;
		return true;
	}
	for (;;) {
		if (getline(&c->line, &c->cap, c->f) < 0) {
			if (ferror(c->f))
				die("%s: read error: %s", c->path,
				    strerror(errno));
			return false;
		}
		c->lineno++;
		s = trim(c->line);
		if (!*s || *s == '#')
			continue;
		memmove(c->line, s, strlen(s) + 1);
		csv_split(c);
		return true;
	}
}

/*
 * Open a CSV file and read its header.  With @def (names of @ndef columns)
 * the header is optional: a first line none of whose cells is one of those
 * names is data, and the columns are then @def in that order.
 */
static void csv_open(struct csv *c, const char *path,
		     const char *const *def, int ndef)
{
	int i, j;
	bool is_hdr = false;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if (!strcmp(path, "-")) {
		c->f = stdin;
		c->path = "<stdin>";
	} else {
		c->f = fopen(path, "r");
		if (!c->f)
			die("%s: %s", path, strerror(errno));
	}
	if (!csv_next(c)) {
		if (!def)
			die("%s: empty file, no header line", c->path);
		is_hdr = false;
	} else if (!def) {
		is_hdr = true;
	} else {
		for (i = 0; i < c->nf && !is_hdr; i++)
			for (j = 0; j < ndef; j++)
				if (!strcmp(c->field[i], def[j]))
					is_hdr = true;
		c->pending = !is_hdr;
	}
	if (is_hdr) {
		c->own_hdr = true;
		c->nhdr = c->nf;
		for (i = 0; i < c->nf; i++)
			c->hdr[i] = xstrdup(c->field[i]);
	} else {
		c->nhdr = ndef;
		for (i = 0; i < ndef; i++)
			c->hdr[i] = (char *)def[i];
	}
}

static void csv_close(struct csv *c)
{
	int i;

	if (c->f != stdin)
		fclose(c->f);
	if (c->own_hdr)
		for (i = 0; i < c->nhdr; i++)
			free(c->hdr[i]);
	free(c->line);
}

static int csv_col(struct csv *c, const char *name)
{
	int i;

	for (i = 0; i < c->nhdr; i++)
		if (!strcmp(c->hdr[i], name))
			return i;
	die("%s: missing column '%s'", c->path, name);
}

/* Every data line has as many cells as the header. */
static void csv_check(struct csv *c)
{
	if (c->nf != c->nhdr)
		die("%s:%lu: %d field%s, the header has %d", c->path,
		    c->lineno, c->nf, c->nf == 1 ? "" : "s", c->nhdr);
}

static double csv_num(struct csv *c, int col, bool empty_nan)
{
	const char *s = c->field[col];
	double x;

	if (!*s && empty_nan)
		return NAN;
	if (!parse_num(s, &x))
		die("%s:%lu: column '%s': '%s' is not a number", c->path,
		    c->lineno, c->hdr[col], s);
	return x;
}

/* ---------------------------------------------------------- statistics */

/*
 * Student's t distribution from GSL; df = inf (a test's df with infinite
 * samples, or asked for) is the standard normal.
 */
static double t_tail(double t, double df)	/* P(T > |t|) */
{
	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(t))
		return 0;
	return isinf(df) ? gsl_cdf_ugaussian_Q(fabs(t)) :
			   gsl_cdf_tdist_Q(fabs(t), df);
}

static double t_cdf(double t, double df)
{
	double tail = t_tail(t, df);

	return t > 0 ? 1 - tail : tail;
}

static double t_inv(double p, double df)
{
	if (isnan(p) || isnan(df) || df <= 0 || p <= 0 || p >= 1)
		return NAN;
	return isinf(df) ? gsl_cdf_ugaussian_Pinv(p) : gsl_cdf_tdist_Pinv(p, df);
}

struct summary {
	size_t n;
	double min, max, mean, sd, cv;
};

/* n = 0: all nan; n = 1: sd and cv nan.  Sample stddev (n - 1). */
static void summarize(const double *x, size_t n, struct summary *s)
{
	double sum = 0, ss = 0;
	size_t i;

	s->n = n;
	s->min = NAN;
	s->max = NAN;
	s->mean = NAN;
	s->sd = NAN;
	s->cv = NAN;
	if (!n)
		return;
	s->min = x[0];
	s->max = x[0];
	for (i = 0; i < n; i++) {
		sum += x[i];
		if (x[i] < s->min)
			s->min = x[i];
		if (x[i] > s->max)
			s->max = x[i];
	}
	s->mean = sum / n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		ss += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = sqrt(ss / (n - 1));
	if (s->mean != 0)
		s->cv = 100 * s->sd / fabs(s->mean);
}

struct welch {
	double t, df, p;
};

/* Welch's test of a vs b; false when a side has fewer than 2 values. */
static bool welch_test(const struct summary *a, const struct summary *b,
		       struct welch *w)
{
	double va, vb, se2;

	if (a->n < 2 || b->n < 2)
		return false;
	va = a->sd * a->sd / a->n;
	vb = b->sd * b->sd / b->n;
	se2 = va + vb;
	if (se2 == 0) {
		w->df = a->n + b->n - 2;
		if (a->mean == b->mean) {
			w->t = 0;
			w->p = 1;
		} else {
			w->t = a->mean > b->mean ? INFINITY : -INFINITY;
			w->p = 0;
		}
		return true;
	}
	w->t = (a->mean - b->mean) / sqrt(se2);
	w->df = se2 * se2 / (va * va / (a->n - 1) + vb * vb / (b->n - 1));
	w->p = 2 * t_tail(w->t, w->df);
	return true;
}

static const char *sig_mark(const struct welch *w)
{
	if (w->p < 0.01)
		return "**";
	if (w->p < 0.05)
		return "*";
	return "";
}

/* "1.5,2,3" -> array; dies naming @what on a bad number. */
static double *parse_list(const char *what, const char *arg, size_t *n)
{
	char *copy = xstrdup(arg), *p = copy, *comma, *tok;
	double *x = NULL;
	size_t cap = 0;

	*n = 0;
	for (;;) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		tok = trim(p);
		GROW(x, *n, cap);
		if (!parse_num(tok, &x[*n]))
			die("%s: '%s' is not a number (in '%s')", what, tok, arg);
		(*n)++;
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
	return x;
}

/* ------------------------------------------------------------- extract */

enum phase { PH_WARMUP, PH_STEADY, PH_PRESSURE, PH_RECOVERY, PH_NR };

static const char *const phase_name[PH_NR] = {
	"warmup", "steady", "pressure", "recovery",
};

static int phase_of(const char *s)
{
	int i;

	for (i = 0; i < PH_NR; i++)
		if (!strcmp(s, phase_name[i]))
			return i;
	return -1;
}

enum {
	ST_ZAPPED, ST_RECYCLED, ST_MISS, ST_PF, ST_SHRINK, ST_MEMFREE,
	ST_SECPT, ST_NR,
};

static const char *const stat_col[ST_NR] = {
	"mmu_shadow_zapped", "mmu_recycled", "mmu_cache_miss", "pf_taken",
	"shrinker_count", "memfree_kb", "secpagetables_kb",
};

struct iter_row {
	double t_ms, lat_us;
	long vcpu, iter;
	int phase;		/* enum phase, -1 for another name */
};

struct sample {
	double t_ms;
	double v[ST_NR];
};

struct kv {
	char *key, *val;
};

struct run {
	const char *dir;
	struct kv *meta;
	size_t nmeta, capmeta;
	bool have[PH_NR];
	double start[PH_NR], end[PH_NR];
	struct iter_row *it;
	size_t nit, capit;
	struct sample *s;
	size_t ns, caps;
	bool have_freed;
	double freed;
	/* scan.csv of shrinkscan -o (scale scenario): timed count/scan calls */
	size_t nscan;
	double scan_sum, scan_max, count_sum, count_max;
};

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xrealloc(NULL, n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/*
 * key=value lines of a run file into @out (NULL: just parse).  Returns
 * false if the file does not exist and @optional.
 */
static bool read_kv(const char *path, bool optional, struct kv **out,
		    size_t *n, size_t *cap)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *s, *eq;
	size_t lcap = 0;
	unsigned long lineno = 0;

	if (!f) {
		if (optional && errno == ENOENT)
			return false;
		die("%s: %s", path, strerror(errno));
	}
	while (getline(&line, &lcap, f) >= 0) {
		lineno++;
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq || eq == s)
			die("%s:%lu: not a key=value line: '%s'", path, lineno,
			    s);
		*eq = '\0';
		GROW(*out, *n, *cap);
		(*out)[*n].key = xstrdup(trim(s));
		(*out)[*n].val = xstrdup(trim(eq + 1));
		(*n)++;
	}
	if (ferror(f))
		die("%s: read error: %s", path, strerror(errno));
	free(line);
	fclose(f);
	return true;
}

/* The last value of @key (later lines win), or NULL. */
static const char *kv_get(const struct kv *kv, size_t n, const char *key)
{
	const char *val = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			val = kv[i].val;
	return val;
}

static const char *meta_get(struct run *r, const char *key)
{
	return kv_get(r->meta, r->nmeta, key);
}

static void read_freed(struct run *r)
{
	char *path = path_join(r->dir, "freed.txt");
	struct kv *kv = NULL;
	size_t n = 0, cap = 0, i;
	const char *val;

	if (read_kv(path, true, &kv, &n, &cap)) {
		val = kv_get(kv, n, "objects_freed");
		if (!val)
			die("%s: no objects_freed= line", path);
		if (!parse_num(val, &r->freed) || !isfinite(r->freed))
			die("%s: objects_freed: '%s' is not a number", path,
			    val);
		r->have_freed = true;
	}
	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
	free(path);
}

/* Optional scan.csv (shrinkscan -o): scan_us and count_us of every call. */
static void read_scan(struct run *r)
{
	char *path = path_join(r->dir, "scan.csv");
	struct csv c;
	int cs, cc;
	double s, n;

	if (access(path, F_OK)) {
		free(path);
		return;
	}
	csv_open(&c, path, NULL, 0);
	cs = csv_col(&c, "scan_us");
	cc = csv_col(&c, "count_us");
	while (csv_next(&c)) {
		csv_check(&c);
		s = csv_num(&c, cs, false);
		n = csv_num(&c, cc, false);
		r->scan_sum += s;
		r->count_sum += n;
		r->scan_max = r->nscan && r->scan_max > s ? r->scan_max : s;
		r->count_max = r->nscan && r->count_max > n ? r->count_max : n;
		r->nscan++;
	}
	csv_close(&c);
	if (!r->nscan)
		die("%s: no scan recorded", path);
	free(path);
}

static void read_phases(struct run *r)
{
	char *path = path_join(r->dir, "phases.csv");
	struct csv c;
	int cp, cs, ce, ph;
	double a, b;

	csv_open(&c, path, NULL, 0);
	cp = csv_col(&c, "phase");
	cs = csv_col(&c, "start_ms");
	ce = csv_col(&c, "end_ms");
	while (csv_next(&c)) {
		csv_check(&c);
		ph = phase_of(c.field[cp]);
		if (ph < 0)
			continue;
		a = csv_num(&c, cs, false);
		b = csv_num(&c, ce, false);
		if (!(b >= a))
			die("%s:%lu: phase %s ends (%g) before it starts (%g)",
			    path, c.lineno, phase_name[ph], b, a);
		r->have[ph] = true;
		r->start[ph] = a;
		r->end[ph] = b;
	}
	csv_close(&c);
	if (!r->have[PH_STEADY])
		die("%s: no 'steady' phase", path);
	if (!r->have[PH_PRESSURE])
		die("%s: no 'pressure' phase", path);
	free(path);
}

static void read_iter(struct run *r)
{
	char *path = path_join(r->dir, "iter.csv");
	struct csv c;
	int ct, cv, cl, cp;
	struct iter_row *it;
	double vcpu, iter;
	int ci;

	csv_open(&c, path, NULL, 0);
	ct = csv_col(&c, "t_ms");
	cv = csv_col(&c, "vcpu");
	ci = csv_col(&c, "iter");
	cp = csv_col(&c, "phase");
	cl = csv_col(&c, "lat_us");
	while (csv_next(&c)) {
		csv_check(&c);
		GROW(r->it, r->nit, r->capit);
		it = &r->it[r->nit++];
		it->t_ms = csv_num(&c, ct, false);
		it->lat_us = csv_num(&c, cl, false);
		vcpu = csv_num(&c, cv, false);
		if (vcpu != floor(vcpu) || fabs(vcpu) > 1e9)
			die("%s:%lu: column 'vcpu': '%s' is not a vCPU number",
			    path, c.lineno, c.field[cv]);
		it->vcpu = (long)vcpu;
		iter = csv_num(&c, ci, false);
		if (iter != floor(iter) || fabs(iter) > 1e12)
			die("%s:%lu: column 'iter': '%s' is not an iteration number",
			    path, c.lineno, c.field[ci]);
		it->iter = (long)iter;
		it->phase = phase_of(c.field[cp]);
	}
	csv_close(&c);
	free(path);
}

static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return (x->t_ms > y->t_ms) - (x->t_ms < y->t_ms);
}

static void read_stats(struct run *r)
{
	char *path = path_join(r->dir, "stats.csv");
	struct csv c;
	int ct, col[ST_NR], i;
	struct sample *s;

	csv_open(&c, path, NULL, 0);
	ct = csv_col(&c, "t_ms");
	for (i = 0; i < ST_NR; i++)
		col[i] = csv_col(&c, stat_col[i]);
	while (csv_next(&c)) {
		csv_check(&c);
		GROW(r->s, r->ns, r->caps);
		s = &r->s[r->ns++];
		s->t_ms = csv_num(&c, ct, false);
		for (i = 0; i < ST_NR; i++)
			s->v[i] = csv_num(&c, col[i], true);
	}
	csv_close(&c);
	if (!r->ns)
		die("%s: no samples", path);
	qsort(r->s, r->ns, sizeof(*r->s), cmp_sample);
	free(path);
}

/* The last sample at or before t (the first sample if none). */
static size_t sample_before(const struct run *r, double t)
{
	size_t i, k = 0;

	for (i = 0; i < r->ns && r->s[i].t_ms <= t; i++)
		k = i;
	return k;
}

/* The first sample at or after t (the last sample if none). */
static size_t sample_after(const struct run *r, double t)
{
	size_t i;

	for (i = 0; i < r->ns; i++)
		if (r->s[i].t_ms >= t)
			return i;
	return r->ns - 1;
}

/* Increase of counter @col over the window [a, b]; its duration in *dur. */
static double window_delta(const struct run *r, int col, double a, double b,
			   double *dur)
{
	size_t i = sample_before(r, a), j = sample_after(r, b);

	*dur = r->s[j].t_ms - r->s[i].t_ms;
	return r->s[j].v[col] - r->s[i].v[col];
}

/* Increase per ms of counter @col inside the steady phase. */
static double steady_rate(const struct run *r, int col)
{
	double a = r->start[PH_STEADY], b = r->end[PH_STEADY], d, dur;
	size_t i = sample_after(r, a), j = sample_before(r, b);

	if (j > i && r->s[j].t_ms > r->s[i].t_ms)
		return (r->s[j].v[col] - r->s[i].v[col]) /
		       (r->s[j].t_ms - r->s[i].t_ms);
	d = window_delta(r, col, a, b, &dur);
	return dur > 0 ? d / dur : 0;
}

static int cmp_iter(const void *a, const void *b)
{
	const struct iter_row *x = a, *y = b;

	if (x->vcpu != y->vcpu)
		return x->vcpu < y->vcpu ? -1 : 1;
	return (x->t_ms > y->t_ms) - (x->t_ms < y->t_ms);
}

/* recover_s and recovered, see the definitions at the top. */
static void recovery(struct run *r, double steady_us, double *rec_s,
		     bool *ok)
{
	double p1 = r->end[PH_PRESSURE], r1 = r->end[PH_RECOVERY];
	double thr = (1 + REC_TOL) * steady_us, worst = 0, d;
	size_t i, j, k, first = 0, streak, nvcpu = 0;
	bool all = true, found;

	if (r->nit)
		qsort(r->it, r->nit, sizeof(*r->it), cmp_iter);
	for (i = 0; i < r->nit; i = j) {
		for (j = i; j < r->nit && r->it[j].vcpu == r->it[i].vcpu; j++)
			;
		nvcpu++;
		found = false;
		streak = 0;
		for (k = i; k < j && !found; k++) {
			if (r->it[k].t_ms <= p1 || r->it[k].t_ms > r1)
				continue;
			if (r->it[k].lat_us <= thr) {
				if (!streak++)
					first = k;
				found = streak == REC_K;
			} else {
				streak = 0;
			}
		}
		if (!found) {
			all = false;
			continue;
		}
		d = r->it[first].t_ms - r->it[first].lat_us / 1000 - p1;
		if (d > worst)
			worst = d;
	}
	*ok = nvcpu && all && !isnan(thr);
	*rec_s = (*ok ? worst : r1 - p1) / 1000;
}

struct metric {
	const char *name;
	double val;
};

static void add_metric(struct metric *m, size_t *n, const char *name,
		       double val)
{
	m[*n].name = name;
	m[(*n)++].val = val;
}

static double phase_lat_ms(const struct run *r, int ph)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < r->nit; i++) {
		if (r->it[i].phase != ph)
			continue;
		sum += r->it[i].lat_us;
		n++;
	}
	if (!n) {
		warn("%s: no iteration in phase %s", r->dir, phase_name[ph]);
		return NAN;
	}
	return sum / n / 1000;
}

/* Mean time of the vCPUs' first pass (iter 1), which faults in every page. */
static double populate_ms(const struct run *r)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < r->nit; i++) {
		if (r->it[i].iter != 1)
			continue;
		sum += r->it[i].lat_us;
		n++;
	}
	return n ? sum / n / 1000 : NAN;
}

static size_t count_vcpus(const struct run *r)
{
	size_t i, j, n = 0;

	/* r->it is sorted by vCPU (recovery() sorts it) */
	for (i = 0; i < r->nit; i = j) {
		for (j = i; j < r->nit && r->it[j].vcpu == r->it[i].vcpu; j++)
			;
		n++;
	}
	return n;
}

static size_t run_metrics(struct run *r, struct metric *m)
{
	double p0, p1, r1, s0, s1, steady, pressure, dur, d, rec_s, last = 0;
	double before;
	double after;
	size_t n = 0, i, nvcpu;
	bool rec_ok, pressured;

	read_phases(r);
	read_iter(r);
	read_stats(r);
	read_freed(r);
	read_scan(r);

	p0 = r->start[PH_PRESSURE];
	p1 = r->end[PH_PRESSURE];
	if (!r->have[PH_RECOVERY]) {
		last = p1;
		for (i = 0; i < r->nit; i++)
			if (r->it[i].t_ms > last)
				last = r->it[i].t_ms;
		if (r->s[r->ns - 1].t_ms > last)
			last = r->s[r->ns - 1].t_ms;
		r->start[PH_RECOVERY] = p1;
		r->end[PH_RECOVERY] = last;
	}
	r1 = r->end[PH_RECOVERY];
	/*
	 * Without a pressure phase (page limit, overhead: -P 0) the metrics
	 * of what the pressure did are meaningless: they are left out.
	 */
	pressured = p1 > p0;

	steady = phase_lat_ms(r, PH_STEADY);
	pressure = phase_lat_ms(r, PH_PRESSURE);
	add_metric(m, &n, "warmup_lat_ms", phase_lat_ms(r, PH_WARMUP));
	add_metric(m, &n, "steady_lat_ms", steady);
	if (pressured) {
		add_metric(m, &n, "pressure_lat_ms", pressure);
		add_metric(m, &n, "recovery_lat_ms",
			   phase_lat_ms(r, PH_RECOVERY));
		add_metric(m, &n, "slowdown", pressure / steady);
	}
	add_metric(m, &n, "populate_ms", populate_ms(r));
	add_metric(m, &n, "populate_rel", populate_ms(r) / steady);

	if (pressured) {
		d = window_delta(r, ST_PF, p0, p1, &dur);
		add_metric(m, &n, "extra_faults",
			   d - steady_rate(r, ST_PF) * dur);
		d = window_delta(r, ST_MISS, p0, r1, &dur);
		add_metric(m, &n, "rebuilds",
			   d - steady_rate(r, ST_MISS) * dur);
		add_metric(m, &n, "zapped",
			   window_delta(r, ST_ZAPPED, p0, p1, &dur));
		add_metric(m, &n, "recycled",
			   window_delta(r, ST_RECYCLED, p0, p1, &dur));
	}
	/* Without pressure (page limit, overhead): what the steady phase costs. */
	s0 = r->start[PH_STEADY];
	s1 = r->end[PH_STEADY];
	add_metric(m, &n, "steady_misses", window_delta(r, ST_MISS, s0, s1, &dur));
	add_metric(m, &n, "steady_recycled",
		   window_delta(r, ST_RECYCLED, s0, s1, &dur));
	add_metric(m, &n, "steady_faults", window_delta(r, ST_PF, s0, s1, &dur));

	if (pressured) {
		recovery(r, steady * 1000, &rec_s, &rec_ok);
		add_metric(m, &n, "recover_s", rec_s);
		add_metric(m, &n, "recovered", rec_ok);

		before = r->s[sample_before(r, p0)].v[ST_SHRINK];
		after = r->s[sample_after(r, p1)].v[ST_SHRINK];
		add_metric(m, &n, "count_before", before);
		add_metric(m, &n, "count_after", after);
		if (r->have_freed)
			d = r->freed * PAGE_KB;
		else
			d = (before - after) * PAGE_KB;
		add_metric(m, &n, "freed_kb", d < 0 ? 0 : d);
		add_metric(m, &n, "memfree_delta_kb",
			   window_delta(r, ST_MEMFREE, p0, p1, &dur));
		add_metric(m, &n, "secpt_delta_kb",
			   window_delta(r, ST_SECPT, p0, p1, &dur));
	}

	nvcpu = count_vcpus(r);
	add_metric(m, &n, "iterations", nvcpu ? (double)r->nit / nvcpu : NAN);
	if (r->nscan) {
		add_metric(m, &n, "scans", r->nscan);
		add_metric(m, &n, "scan_us_mean", r->scan_sum / r->nscan);
		add_metric(m, &n, "scan_us_max", r->scan_max);
		add_metric(m, &n, "count_us_mean", r->count_sum / r->nscan);
		add_metric(m, &n, "count_us_max", r->count_max);
	}
	return n;
}

/*
 * A workload other than mmu_reclaim_perf (an upstream selftest run by the
 * overhead scenario's guest script) leaves its numbers in metrics.txt as
 * name=value lines instead of iter.csv and stats.csv.
 */
static size_t file_metrics(const char *path, struct metric *m, size_t max)
{
	struct kv *kv = NULL;
	size_t nkv = 0, cap = 0, n = 0, i;
	const char *c;
	double v;

	read_kv(path, false, &kv, &nkv, &cap);
	if (!nkv)
		die("%s: no metric", path);
	if (nkv > max)
		die("%s: %zu metrics, at most %zu", path, nkv, max);
	for (i = 0; i < nkv; i++) {
		for (c = kv[i].key; *c; c++)
			if (!islower((unsigned char)*c) &&
			    !isdigit((unsigned char)*c) && *c != '_')
				die("%s: metric name '%s' is not [a-z0-9_]",
				    path, kv[i].key);
		if (!parse_num(kv[i].val, &v))
			die("%s: %s='%s' is not a number", path, kv[i].key,
			    kv[i].val);
		add_metric(m, &n, kv[i].key, v);
	}
	return n;
}

/* A meta.txt value that goes into a CSV cell. */
static const char *csv_cell(struct run *r, const char *key, bool required)
{
	const char *v = meta_get(r, key);

	if (!v || !*v) {
		if (required)
			die("%s/meta.txt: missing key '%s'", r->dir, key);
		return "";
	}
	if (strchr(v, ','))
		die("%s/meta.txt: %s='%s' has a comma", r->dir, key, v);
	return v;
}

static int cmd_extract(int argc, char **argv)
{
	struct run r = { 0 };
	struct metric m[64];
	char *meta_path, *group = NULL, num[NUM_LEN];
	const char *status, *reason, *val, *variant = NULL, *rep = NULL;
	bool csv = false;
	size_t n, i, glen;
	int a;

	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			fputs(usage_extract, stdout);
			fputs(metric_help, stdout);
			return 0;
		}
		if (!strcmp(argv[a], "--csv"))
			csv = true;
		else if (!strcmp(argv[a], "--group") && a + 1 < argc)
			group = xstrdup(argv[++a]);
		else if (!strncmp(argv[a], "--group=", 8))
			group = xstrdup(argv[a] + 8);
		else
			die("extract: unknown option '%s' (see mmstat extract --help)",
			    argv[a]);
	}
	if (argc - a != 1)
		die("extract: one run directory expected (see mmstat extract --help)");
	r.dir = argv[a];
	meta_path = path_join(r.dir, "meta.txt");
	read_kv(meta_path, false, &r.meta, &r.nmeta, &r.capmeta);
	free(meta_path);
	status = meta_get(&r, "status");
	if (!status || !*status)
		die("%s/meta.txt: missing key 'status'", r.dir);

	if (csv) {
		if (group && strchr(group, ','))
			die("extract: group '%s' has a comma", group);
		if (!group) {
			static const char *const k[] = {
				"scenario", "mode", "pressure",
			};

			glen = 4;
			for (i = 0; i < ARRAY_SIZE(k); i++)
				glen += strlen(csv_cell(&r, k[i], true)) + 1;
			glen += strlen(csv_cell(&r, "param", false));
			group = xrealloc(NULL, glen);
			snprintf(group, glen, "%s/%s/%s", csv_cell(&r, k[0], true),
				 csv_cell(&r, k[1], true),
				 csv_cell(&r, k[2], true));
			if (*csv_cell(&r, "param", false)) {
				strcat(group, "/");
				strcat(group, csv_cell(&r, "param", false));
			}
		}
		variant = csv_cell(&r, "variant", true);
		rep = csv_cell(&r, "rep", true);
	}

	if (strcmp(status, "ok")) {
		reason = meta_get(&r, "reason");
		if (csv)
			printf("%s,%s,%s,status,failed\n", group, variant, rep);
		else if (!strcmp(status, "failed") && reason && *reason)
			printf("status=failed reason=%s\n", reason);
		else
			printf("status=failed reason=%s%s%s\n", status,
			       reason && *reason ? ": " : "",
			       reason ? reason : "");
		return 0;
	}

	meta_path = path_join(r.dir, "metrics.txt");
	if (!access(meta_path, F_OK))
		n = file_metrics(meta_path, m, ARRAY_SIZE(m));
	else
		n = run_metrics(&r, m);
	free(meta_path);
	/* What reclaim did during the case (bench-lib.sh's run_case). */
	meta_path = path_join(r.dir, "reclaim.txt");
	if (!access(meta_path, F_OK))
		n += file_metrics(meta_path, m + n, ARRAY_SIZE(m) - n);
	free(meta_path);
	if (csv)
		printf("%s,%s,%s,status,ok\n", group, variant, rep);
	else
		printf("status=ok\n");
	for (i = 0; i < n; i++) {
		val = fmt_num(num, m[i].val);
		if (csv)
			printf("%s,%s,%s,%s,%s\n", group, variant, rep,
			       m[i].name, val);
		else
			printf("%s=%s\n", m[i].name, val);
	}
	free(group);
	return 0;
}

/* ------------------------------------------------------------- compare */

struct strtab {
	char **s;
	size_t n, cap;
};

static size_t intern(struct strtab *t, const char *s)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->s[i], s))
			return i;
	GROW(t->s, t->n, t->cap);
	t->s[t->n] = xstrdup(s);
	return t->n++;
}

struct entry {
	size_t g, v, m;
	char *rep;
	double val;
	bool is_status, failed;
};

struct mset {
	struct strtab groups, variants, metrics;
	struct entry *e;
	size_t n, cap;
};

static void read_metrics(struct mset *ms, const char *path, const char *label)
{
	static const char *const cols[] = {
		"group", "variant", "rep", "metric", "value",
	};
	struct csv c;
	int ci[ARRAY_SIZE(cols)];
	size_t i;
	struct entry *e;
	char *name;
	const char *val;

	csv_open(&c, path, cols, ARRAY_SIZE(cols));
	for (i = 0; i < ARRAY_SIZE(cols); i++)
		ci[i] = csv_col(&c, cols[i]);
	while (csv_next(&c)) {
		csv_check(&c);
		for (i = 0; i < ARRAY_SIZE(cols); i++)
			if (!*c.field[ci[i]])
				die("%s:%lu: empty '%s'", c.path, c.lineno,
				    cols[i]);
		GROW(ms->e, ms->n, ms->cap);
		e = &ms->e[ms->n];
		memset(e, 0, sizeof(*e));
		e->g = intern(&ms->groups, c.field[ci[0]]);
		if (label) {
			i = strlen(label) + strlen(c.field[ci[1]]) + 2;
			name = xrealloc(NULL, i);
			snprintf(name, i, "%s:%s", label, c.field[ci[1]]);
			e->v = intern(&ms->variants, name);
			free(name);
		} else {
			e->v = intern(&ms->variants, c.field[ci[1]]);
		}
		e->rep = xstrdup(c.field[ci[2]]);
		e->m = intern(&ms->metrics, c.field[ci[3]]);
		val = c.field[ci[4]];
		if (!strcmp(c.field[ci[3]], "status")) {
			e->is_status = true;
			e->failed = strcmp(val, "ok") != 0;
		} else {
			e->val = csv_num(&c, ci[4], false);
		}
		ms->n++;
	}
	csv_close(&c);
}

enum fmt { FMT_TEXT, FMT_MD, FMT_JSON };

enum {
	C_VARIANT, C_N, C_FAILED, C_MIN, C_MEAN, C_SD, C_CV, C_MAX, C_CHANGE,
	C_SIG, C_NR,
};

static const char *const col_text[C_NR] = {
	"variant", "n", "failed", "min", "amean", "stddev", "coeffvar%",
	"max", "%change", "sig",
};

static const char *const col_md[C_NR] = {
	"variant", "n", "failed", "min", "amean", "stddev", "coeffvar %",
	"max", "% change", "sig",
};

struct row {
	size_t v, failed;
	struct summary s;
	bool is_base, tested;
	double change;
	struct welch w;
	const char *sig;
};

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_num(const char *key, double x)
{
	char num[NUM_LEN];

	printf(", \"%s\": %s", key, isfinite(x) ? fmt_num(num, x) : "null");
}

static void fmt_fixed(char *buf, double x, int dec)
{
	if (isnan(x))
		strcpy(buf, "-");
	else if (isinf(x))
		strcpy(buf, x > 0 ? "inf" : "-inf");
	else if (fabs(x) >= 1e15)
		snprintf(buf, NUM_LEN, "%.6e", x);
	else
		snprintf(buf, NUM_LEN, "%.*f", dec, x + 0.0);
}

/* Decimals giving ~5 significant digits to the largest value. */
static int table_decimals(const struct row *rows, size_t n)
{
	double big = 0, x[4];
	size_t i, k;
	int dec;

	for (i = 0; i < n; i++) {
		x[0] = rows[i].s.min;
		x[1] = rows[i].s.max;
		x[2] = rows[i].s.mean;
		x[3] = rows[i].s.sd;
		for (k = 0; k < 4; k++)
			if (isfinite(x[k]) && fabs(x[k]) > big)
				big = fabs(x[k]);
	}
	if (big == 0)
		return 2;
	dec = 4 - (int)floor(log10(big));
	return dec < 0 ? 0 : dec > 6 ? 6 : dec;
}

/* Markdown cell: escape the characters a table would take as syntax. */
static void md_cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '*' || *s == '_' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

static void print_table(struct mset *ms, const char *title, struct row *rows,
			size_t nrows, bool have_base, enum fmt fmt)
{
	char (*cell)[C_NR][NUM_LEN] = xrealloc(NULL, nrows * sizeof(*cell));
	const char *const *head = fmt == FMT_MD ? col_md : col_text;
	size_t width[C_NR], i, k, len;
	int dec = table_decimals(rows, nrows);
	struct row *r;

	for (k = 0; k < C_NR; k++)
		width[k] = strlen(head[k]);
	for (i = 0; i < nrows; i++) {
		r = &rows[i];
		snprintf(cell[i][C_VARIANT], NUM_LEN, "%s",
			 ms->variants.s[r->v]);
		snprintf(cell[i][C_N], NUM_LEN, "%zu", r->s.n);
		snprintf(cell[i][C_FAILED], NUM_LEN, "%zu", r->failed);
		fmt_fixed(cell[i][C_MIN], r->s.min, dec);
		fmt_fixed(cell[i][C_MEAN], r->s.mean, dec);
		fmt_fixed(cell[i][C_SD], r->s.sd, dec);
		fmt_fixed(cell[i][C_CV], r->s.cv, 2);
		fmt_fixed(cell[i][C_MAX], r->s.max, dec);
		if (r->is_base)
			strcpy(cell[i][C_CHANGE], "base");
		else if (!have_base)
			strcpy(cell[i][C_CHANGE], "(no base)");
		else if (isfinite(r->change))
			snprintf(cell[i][C_CHANGE], NUM_LEN, "%+.2f%%",
				 r->change + 0.0);
		else
			strcpy(cell[i][C_CHANGE], "-");
		snprintf(cell[i][C_SIG], NUM_LEN, "%s", r->sig);
		for (k = 0; k < C_NR; k++) {
			len = strlen(cell[i][k]);
			if (len > width[k])
				width[k] = len;
		}
	}

	if (fmt == FMT_MD) {
		printf("#### ");
		md_cell(title);
		printf("\n\n|");
		for (k = 0; k < C_NR; k++)
			printf(" %s |", head[k]);
		printf("\n|");
		for (k = 0; k < C_NR; k++)
			printf(k == C_VARIANT || k == C_SIG ? ":--|" : "--:|");
		putchar('\n');
		for (i = 0; i < nrows; i++) {
			putchar('|');
			for (k = 0; k < C_NR; k++) {
				putchar(' ');
				md_cell(cell[i][k]);
				printf(" |");
			}
			putchar('\n');
		}
		putchar('\n');
	} else {
		printf("%s\n", title);
		for (k = 0; k < C_NR; k++)
			printf(k == C_VARIANT ? "%-*s" : "  %*s", (int)width[k],
			       head[k]);
		putchar('\n');
		for (i = 0; i < nrows; i++) {
			for (k = 0; k < C_NR; k++) {
				if (k == C_VARIANT)
					printf("%-*s", (int)width[k], cell[i][k]);
				else if (k == C_SIG && *cell[i][k])
					printf("  %s", cell[i][k]);
				else if (k == C_SIG)
					;
				else
					printf("  %*s", (int)width[k],
					       cell[i][k]);
			}
			putchar('\n');
		}
		putchar('\n');
	}
	free(cell);
}

static void json_rows(struct mset *ms, struct row *rows, size_t nrows)
{
	size_t i;

	for (i = 0; i < nrows; i++) {
		printf("        {\"variant\": ");
		json_str(ms->variants.s[rows[i].v]);
		printf(", \"n\": %zu, \"failed\": %zu", rows[i].s.n,
		       rows[i].failed);
		json_num("min", rows[i].s.min);
		json_num("amean", rows[i].s.mean);
		json_num("stddev", rows[i].s.sd);
		json_num("coeffvar", rows[i].s.cv);
		json_num("max", rows[i].s.max);
		printf(", \"base\": %s", rows[i].is_base ? "true" : "false");
		json_num("change_pct", rows[i].is_base ? NAN : rows[i].change);
		json_num("t", rows[i].tested ? rows[i].w.t : NAN);
		json_num("df", rows[i].tested ? rows[i].w.df : NAN);
		json_num("p", rows[i].tested ? rows[i].w.p : NAN);
		printf(", \"sig\": ");
		json_str(rows[i].sig);
		printf("}%s\n", i + 1 < nrows ? "," : "");
	}
}

/*
 * The rows of one metric of group g, one per variant of vl (the base
 * first if have_base): its summary, and the change and Welch test vs the
 * base.  buf holds at least ms->n values.
 */
static void metric_rows(struct mset *ms, size_t g, size_t m, const size_t *vl,
			size_t nv, const size_t *failed, bool have_base,
			double *buf, struct row *rows)
{
	size_t j, k, nb;
	struct entry *e;

	for (j = 0; j < nv; j++) {
		for (nb = 0, k = 0; k < ms->n; k++) {
			e = &ms->e[k];
			if (e->g == g && e->v == vl[j] && e->m == m &&
			    !e->is_status && isfinite(e->val))
				buf[nb++] = e->val;
		}
		memset(&rows[j], 0, sizeof(rows[j]));
		rows[j].v = vl[j];
		rows[j].failed = failed[vl[j]];
		rows[j].change = NAN;
		rows[j].sig = "";
		summarize(buf, nb, &rows[j].s);
	}
	for (j = 0; j < nv; j++) {
		struct row *r = &rows[j];

		if (have_base && j == 0) {
			r->is_base = true;
			continue;
		}
		if (!have_base)
			continue;
		r->change = (r->s.mean - rows[0].s.mean) /
			    fabs(rows[0].s.mean) * 100;
		if (r->s.mean == rows[0].s.mean)
			r->change = 0;
		r->tested = welch_test(&r->s, &rows[0].s, &r->w);
		r->sig = r->tested ? sig_mark(&r->w) : "(n<2)";
	}
}

/* compare --headline: the listed metrics of group g, variants as columns. */
static void headline_table(struct mset *ms, size_t g, const char *list,
			   const size_t *vl, size_t nv, const size_t *failed,
			   bool have_base, double *buf, struct row *rows)
{
	char *names = xstrdup(list), *tok, *save = NULL;
	char mean[NUM_LEN], sd[NUM_LEN];
	size_t j, k, m, ok;
	struct entry *e;
	int dec;

	printf("#### ");
	md_cell(ms->groups.s[g]);
	printf("\n\n| metric |");
	for (j = 0; j < nv; j++) {
		putchar(' ');
		md_cell(ms->variants.s[vl[j]]);
		printf(" |");
	}
	printf("\n|:--|");
	for (j = 0; j < nv; j++)
		printf("--:|");
	printf("\n| runs ok (failed) |");
	for (j = 0; j < nv; j++) {
		for (ok = 0, k = 0; k < ms->n; k++) {
			e = &ms->e[k];
			ok += e->g == g && e->v == vl[j] && e->is_status &&
			      !e->failed;
		}
		printf(" %zu (%zu) |", ok, failed[vl[j]]);
	}
	putchar('\n');
	for (tok = strtok_r(names, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (m = 0; m < ms->metrics.n; m++)
			if (!strcmp(ms->metrics.s[m], tok))
				break;
		for (k = 0; m < ms->metrics.n && k < ms->n; k++)
			if (ms->e[k].g == g && ms->e[k].m == m &&
			    !ms->e[k].is_status)
				break;
		if (m == ms->metrics.n || k == ms->n)
			continue;
		metric_rows(ms, g, m, vl, nv, failed, have_base, buf, rows);
		dec = table_decimals(rows, nv);
		printf("| ");
		md_cell(tok);
		printf(" |");
		for (j = 0; j < nv; j++) {
			fmt_fixed(mean, rows[j].s.mean, dec);
			fmt_fixed(sd, rows[j].s.sd, dec);
			printf(" %s", mean);
			if (isfinite(rows[j].s.sd))
				printf(" ±%s", sd);
			if (!rows[j].is_base && isfinite(rows[j].change)) {
				printf(" (%+.0f%%", rows[j].change + 0.0);
				if (*rows[j].sig) {
					putchar(' ');
					md_cell(rows[j].sig);
				}
				putchar(')');
			}
			printf(" |");
		}
		putchar('\n');
	}
	putchar('\n');
	free(names);
}

/* compare --dat: the summary of one metric per variant, for plot.sh. */
static void dat_lines(struct mset *ms, size_t g, const char *metric,
		      const size_t *vl, size_t nv, const size_t *failed,
		      bool have_base, double *buf, struct row *rows)
{
	char mean[NUM_LEN], min[NUM_LEN], max[NUM_LEN];
	size_t j, m;

	for (m = 0; m < ms->metrics.n; m++)
		if (!strcmp(ms->metrics.s[m], metric))
			break;
	if (m == ms->metrics.n)
		return;
	metric_rows(ms, g, m, vl, nv, failed, have_base, buf, rows);
	for (j = 0; j < nv; j++) {
		if (!rows[j].s.n)
			continue;
		printf("%s %s %zu %s %s %s\n", ms->groups.s[g],
		       ms->variants.s[vl[j]], rows[j].s.n,
		       fmt_num(mean, rows[j].s.mean),
		       fmt_num(min, rows[j].s.min), fmt_num(max, rows[j].s.max));
	}
}

static void compare_group(struct mset *ms, size_t g, const char *base,
			  enum fmt fmt, bool last, const char *headline,
			  const char *dat)
{
	size_t *vl = xrealloc(NULL, ms->variants.n * sizeof(*vl));
	size_t *ml = xrealloc(NULL, ms->metrics.n * sizeof(*ml));
	size_t *failed = xrealloc(NULL, ms->variants.n * sizeof(*failed));
	double *buf = xrealloc(NULL, ms->n * sizeof(*buf));
	struct row *rows = xrealloc(NULL, ms->variants.n * sizeof(*rows));
	size_t nv = 0, nm = 0, i, j, k;
	bool seen, have_base = false;
	char *title;
	struct entry *e;

	memset(failed, 0, ms->variants.n * sizeof(*failed));
	for (i = 0; i < ms->n; i++) {
		e = &ms->e[i];
		if (e->g != g)
			continue;
		if (e->is_status && e->failed)
			failed[e->v]++;
		for (seen = false, j = 0; j < nv && !seen; j++)
			seen = vl[j] == e->v;
		if (!seen)
			vl[nv++] = e->v;
		if (e->is_status)
			continue;
		for (seen = false, j = 0; j < nm && !seen; j++)
			seen = ml[j] == e->m;
		if (!seen)
			ml[nm++] = e->m;
	}
	/* the base variant first */
	for (j = 0; j < nv; j++) {
		if (!strcmp(ms->variants.s[vl[j]], base)) {
			k = vl[j];
			memmove(vl + 1, vl, j * sizeof(*vl));
			vl[0] = k;
			have_base = true;
			break;
		}
	}

	if (dat) {
		dat_lines(ms, g, dat, vl, nv, failed, have_base, buf, rows);
		nm = 0;
	} else if (headline) {
		headline_table(ms, g, headline, vl, nv, failed, have_base, buf,
			       rows);
		nm = 0;
	} else if (fmt == FMT_JSON) {
		printf("    {\"group\": ");
		json_str(ms->groups.s[g]);
		printf(", \"failed\": {");
		for (j = 0; j < nv; j++) {
			json_str(ms->variants.s[vl[j]]);
			printf(": %zu%s", failed[vl[j]], j + 1 < nv ? ", " : "");
		}
		printf("}, \"metrics\": [\n");
	} else if (!nm) {
		/* only failed runs: still show them */
		printf(fmt == FMT_MD ? "#### %s\n\nno metrics; failed runs:" :
		       "%s\nno metrics; failed runs:", ms->groups.s[g]);
		for (j = 0; j < nv; j++)
			printf(" %s=%zu", ms->variants.s[vl[j]], failed[vl[j]]);
		printf("\n\n");
	}

	for (i = 0; i < nm; i++) {
		metric_rows(ms, g, ml[i], vl, nv, failed, have_base, buf, rows);
		if (fmt == FMT_JSON) {
			printf("      {\"metric\": ");
			json_str(ms->metrics.s[ml[i]]);
			printf(", \"rows\": [\n");
			json_rows(ms, rows, nv);
			printf("      ]}%s\n", i + 1 < nm ? "," : "");
		} else {
			k = strlen(ms->groups.s[g]) +
			    strlen(ms->metrics.s[ml[i]]) + 3;
			title = xrealloc(NULL, k);
			snprintf(title, k, "%s: %s", ms->groups.s[g],
				 ms->metrics.s[ml[i]]);
			print_table(ms, title, rows, nv, have_base, fmt);
			free(title);
		}
	}
	if (fmt == FMT_JSON)
		printf("    ]}%s\n", last ? "" : ",");
	free(vl);
	free(ml);
	free(failed);
	free(buf);
	free(rows);
}

static int cmd_compare(int argc, char **argv)
{
	struct mset ms = { 0 };
	const char *base = "base", *label = NULL, *headline = NULL;
	const char *dat = NULL;
	enum fmt fmt = FMT_TEXT;
	size_t g, nfiles = 0;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--md")) {
			fmt = FMT_MD;
		} else if (!strcmp(argv[a], "--json")) {
			fmt = FMT_JSON;
		} else if (!strcmp(argv[a], "--headline") && a + 1 < argc) {
			headline = argv[++a];
		} else if (!strcmp(argv[a], "--dat") && a + 1 < argc) {
			dat = argv[++a];
		} else if (!strcmp(argv[a], "--base") && a + 1 < argc) {
			base = argv[++a];
		} else if (!strncmp(argv[a], "--base=", 7)) {
			base = argv[a] + 7;
		} else if (!strcmp(argv[a], "-l") && a + 1 < argc) {
			label = argv[++a];
			if (!*label || strchr(label, ','))
				die("compare: bad label '%s'", label);
		} else if (!strcmp(argv[a], "-h") ||
			   !strcmp(argv[a], "--help")) {
			fputs(usage_compare, stdout);
			return 0;
		} else if (argv[a][0] == '-' && argv[a][1]) {
			die("compare: bad option '%s' (see mmstat compare --help)",
			    argv[a]);
		} else {
			read_metrics(&ms, argv[a], label);
			label = NULL;
			nfiles++;
		}
	}
	if (label)
		die("compare: -l %s is not followed by a file", label);
	if (!nfiles)
		die("compare: no metrics file (see mmstat compare --help)");
	if (headline && fmt != FMT_MD)
		die("compare: --headline needs --md");
	if (dat && (headline || fmt != FMT_TEXT))
		die("compare: --dat takes no --md, --json or --headline");
	if (!ms.n)
		die("compare: no data lines in the input");

	if (fmt == FMT_JSON) {
		printf("{\n  \"base\": ");
		json_str(base);
		printf(",\n  \"groups\": [\n");
	}
	for (g = 0; g < ms.groups.n; g++)
		compare_group(&ms, g, base, fmt, g + 1 == ms.groups.n, headline,
			      dat);
	if (fmt == FMT_JSON)
		printf("  ]\n}\n");
	else if (!dat)
		printf("%s p<0.05, %s p<0.01: Welch two-sided t-test vs %s;\n"
		       "%s(n<2): fewer than 2 values; n counts the runs with a value,\n"
		       "%sfailed the runs whose status is not ok.\n",
		       fmt == FMT_MD ? "\\*" : "# *",
		       fmt == FMT_MD ? "\\*\\*" : "**", base,
		       fmt == FMT_MD ? "" : "# ", fmt == FMT_MD ? "" : "# ");
	return 0;
}

/* ------------------------------------------------------ small commands */

static int cmd_welch(int argc, char **argv)
{
	struct summary sa, sb;
	struct welch w;
	double *a, *b;
	size_t na, nb;
	char num[NUM_LEN];

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_welch, stdout);
		return 0;
	}
	if (argc != 3)
		die("welch: two samples expected (see mmstat welch --help)");
	a = parse_list("welch", argv[1], &na);
	b = parse_list("welch", argv[2], &nb);
	summarize(a, na, &sa);
	summarize(b, nb, &sb);
	if (!welch_test(&sa, &sb, &w))
		die("welch: each sample needs at least 2 values (got %zu and %zu)",
		    na, nb);
	printf("t=%s\n", fmt_num(num, w.t));
	printf("df=%s\n", fmt_num(num, w.df));
	printf("p=%s\n", fmt_num(num, w.p));
	free(a);
	free(b);
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	struct summary s;
	double *x;
	size_t n;
	char num[NUM_LEN];

	if (argc != 2)
		die("stats: one list expected (see mmstat --help)");
	x = parse_list("stats", argv[1], &n);
	summarize(x, n, &s);
	printf("n=%zu\n", s.n);
	printf("min=%s\n", fmt_num(num, s.min));
	printf("max=%s\n", fmt_num(num, s.max));
	printf("mean=%s\n", fmt_num(num, s.mean));
	printf("stddev=%s\n", fmt_num(num, s.sd));
	printf("coeffvar=%s\n", fmt_num(num, s.cv));
	free(x);
	return 0;
}

static double num_arg(const char *what, const char *s)
{
	double x;

	if (!parse_num(s, &x))
		die("%s: '%s' is not a number", what, s);
	return x;
}

static int cmd_tcdf(int argc, char **argv, bool inverse)
{
	const char *what = inverse ? "tinv" : "tcdf";
	double x, df, y;
	char num[NUM_LEN];

	if (argc != 3)
		die("%s: two arguments expected (see mmstat --help)", what);
	x = num_arg(what, argv[1]);
	df = num_arg(what, argv[2]);
	if (!(df > 0))
		die("%s: df must be > 0", what);
	if (inverse && !(x > 0 && x < 1))
		die("tinv: p must be in (0, 1)");
	y = inverse ? t_inv(x, df) : t_cdf(x, df);
	printf("%s\n", fmt_num(num, y));
	return 0;
}

static int cmd_ratio(int argc, char **argv)
{
	const char *base = "base", *group = NULL, *metric = NULL;
	const char *variant = NULL;
	struct mset ms = { 0 };
	double level = 0.95, *b = NULL, *v = NULL, *r, tc, half, goal = NAN;
	size_t nb = 0, nv = 0, n = 0, cap = 0, i, j, unpaired = 0, k, m;
	struct summary s;
	char num[NUM_LEN];
	bool file_mode;
	int a;

	for (a = 1; a < argc; a++) {
		const char *o = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			fputs(usage_ratio, stdout);
			return 0;
		}
		if (o[0] != '-' || !o[1] || isdigit((unsigned char)o[1]) ||
		    o[1] == '.')
			break;	/* a file, "-" or a list of numbers */
		if (!val)
			die("ratio: option %s needs a value", o);
		if (!strcmp(o, "-c") || !strcmp(o, "--level"))
			level = num_arg("ratio: level", val);
		else if (!strcmp(o, "--base"))
			base = val;
		else if (!strcmp(o, "-g") || !strcmp(o, "--group"))
			group = val;
		else if (!strcmp(o, "-m") || !strcmp(o, "--metric"))
			metric = val;
		else if (!strcmp(o, "-v") || !strcmp(o, "--variant"))
			variant = val;
		else if (!strcmp(o, "--goal"))
			goal = num_arg("ratio: goal", val);
		else
			die("ratio: unknown option '%s' (see mmstat ratio --help)", o);
		a++;
	}
	if (!(level > 0 && level < 1))
		die("ratio: level must be in (0, 1)");
	file_mode = group || metric || variant;
	if (file_mode) {
		if (!group || !metric || !variant)
			die("ratio: -g, -m and -v go together (see mmstat ratio --help)");
		if (a >= argc)
			die("ratio: no metrics file (see mmstat ratio --help)");
		for (; a < argc; a++)
			read_metrics(&ms, argv[a], NULL);
		for (i = 0; i < ms.n; i++) {
			struct entry *e = &ms.e[i];

			if (e->is_status || strcmp(ms.groups.s[e->g], group) ||
			    strcmp(ms.metrics.s[e->m], metric) ||
			    strcmp(ms.variants.s[e->v], base) || !isfinite(e->val))
				continue;
			for (j = 0; j < ms.n; j++) {
				struct entry *f = &ms.e[j];

				if (!f->is_status && f->g == e->g &&
				    f->m == e->m && isfinite(f->val) &&
				    !strcmp(ms.variants.s[f->v], variant) &&
				    !strcmp(f->rep, e->rep))
					break;
			}
			if (j == ms.n) {
				unpaired++;
				continue;
			}
			GROW(b, nb, cap);
			v = xrealloc(v, cap * sizeof(*v));
			b[nb++] = e->val;
			v[nv++] = ms.e[j].val;
		}
		for (j = 0; j < ms.n; j++) {
			struct entry *f = &ms.e[j];

			if (f->is_status || strcmp(ms.groups.s[f->g], group) ||
			    strcmp(ms.metrics.s[f->m], metric) ||
			    strcmp(ms.variants.s[f->v], variant) ||
			    !isfinite(f->val))
				continue;
			for (k = 0; k < ms.n; k++)
				if (!ms.e[k].is_status && ms.e[k].g == f->g &&
				    ms.e[k].m == f->m && isfinite(ms.e[k].val) &&
				    !strcmp(ms.variants.s[ms.e[k].v], base) &&
				    !strcmp(ms.e[k].rep, f->rep))
					break;
			if (k == ms.n)
				unpaired++;
		}
	} else {
		if (argc - a != 2)
			die("ratio: two lists expected (see mmstat ratio --help)");
		b = parse_list("ratio", argv[a], &nb);
		v = parse_list("ratio", argv[a + 1], &nv);
		if (nb != nv)
			die("ratio: %zu base values but %zu variant values", nb,
			    nv);
	}
	n = nb;
	if (n < 2)
		die("ratio: need at least 2 pairs (got %zu)", n);
	r = xrealloc(NULL, n * sizeof(*r));
	for (i = 0; i < n; i++) {
		if (b[i] == 0)
			die("ratio: base value 0 in pair %zu", i + 1);
		r[i] = v[i] / b[i];
	}
	summarize(r, n, &s);
	tc = t_inv(1 - (1 - level) / 2, n - 1);
	half = tc * s.sd / sqrt(n);
	printf("n=%zu\n", n);
	if (file_mode)
		printf("n_unpaired=%zu\n", unpaired);
	printf("mean=%s\n", fmt_num(num, s.mean));
	printf("stddev=%s\n", fmt_num(num, s.sd));
	printf("df=%zu\n", n - 1);
	printf("level=%s\n", fmt_num(num, level));
	printf("t_crit=%s\n", fmt_num(num, tc));
	printf("ci_lo=%s\n", fmt_num(num, s.mean - half));
	printf("ci_hi=%s\n", fmt_num(num, s.mean + half));
	printf("change_pct=%s\n", fmt_num(num, (s.mean - 1) * 100));
	printf("change_lo_pct=%s\n", fmt_num(num, (s.mean - half - 1) * 100));
	printf("change_hi_pct=%s\n", fmt_num(num, (s.mean + half - 1) * 100));
	if (!isnan(goal)) {
		if (s.mean + half <= goal)
			printf("verdict=yes\n");
		else if (s.mean - half > goal)
			printf("verdict=no\n");
		else
			printf("verdict=undecided\n");
		/* The CI shrinks as t(m - 1) / sqrt(m); the distance stays. */
		for (m = n; m <= 10000; m++)
			if (t_inv(1 - (1 - level) / 2, m - 1) * s.sd / sqrt(m) <
			    fabs(s.mean - goal))
				break;
		printf("n_decide=%zu\n", m > 10000 ? 0 : m);
	}
	free(r);
	free(b);
	free(v);
	return 0;
}

static void help(FILE *f)
{
	fputs("mmstat: statistics of the kvm-mmu-reclaim benchmark runs\n\n", f);
	fputs(usage_extract, f);
	fputc('\n', f);
	fputs(usage_compare, f);
	fputc('\n', f);
	fputs(usage_welch, f);
	fputc('\n', f);
	fputs(usage_ratio, f);
	fputc('\n', f);
	fputs("Test helpers:\n", f);
	fputs(usage_helpers, f);
	fputc('\n', f);
	fputs(metric_help, f);
	fputs("\nErrors: one \"error: ...\" line on stderr, exit status 1.\n", f);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	/* GSL aborts on a domain error by default; the callers check for nan. */
	gsl_set_error_handler_off();
	if (!cmd)
		die("no subcommand; see mmstat --help");
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "extract"))
		return cmd_extract(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(cmd, "welch"))
		return cmd_welch(argc - 1, argv + 1);
	if (!strcmp(cmd, "ratio"))
		return cmd_ratio(argc - 1, argv + 1);
	if (!strcmp(cmd, "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (!strcmp(cmd, "tcdf"))
		return cmd_tcdf(argc - 1, argv + 1, false);
	if (!strcmp(cmd, "tinv"))
		return cmd_tcdf(argc - 1, argv + 1, true);
	die("unknown subcommand '%s'; see mmstat --help", cmd);
}
