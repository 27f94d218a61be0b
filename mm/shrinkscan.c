// SPDX-License-Identifier: GPL-2.0
/*
 * shrinkscan: drive one shrinker (default x86-mmu) directly through
 * /sys/kernel/debug/shrinker/<name>-<id>/{count,scan} (CONFIG_SHRINKER_DEBUG)
 * at a fixed rate until SIGTERM/SIGINT or -d seconds.  Each round: read
 * count, write "0 0 <nr>" to scan (memcg 0, node 0: one scan_objects call),
 * read count again.
 *
 * count = the sum of the per-node numbers after the memcg ino on every line
 * of the count file (an empty file is 0).  The time of a count read
 * (count_us) is open + read + close of the file before the scan.  The total
 * count drop, sum over rounds of max(0, before - after), estimates the
 * objects freed (the count is a percpu counter read without folding, so
 * small values can read as 0; and faulting vCPUs add pages meanwhile).
 *
 * CSV (-o): t_ms,count_before,count_after,scan_us,count_us
 * Summary: shrinkscan: <dir>: <n> scans of <nr> in <s> s, count drop total
 *          <d>, scan us min/avg/max, count us min/avg/max
 */
#include <glob.h>
#include "tool.h"

static const char usage[] =
	"usage: shrinkscan [-n nr_to_scan] [-r per_second] [-d seconds] [-s name] [-o csv]\n"
	"  -n  objects to scan per call (default 128)\n"
	"  -r  scan calls per second (default 10)\n"
	"  -d  stop after this many seconds (default: until SIGTERM)\n"
	"  -s  shrinker name (default x86-mmu): /sys/kernel/debug/shrinker/<name>-*\n"
	"  -o  CSV file: t_ms,count_before,count_after,scan_us,count_us\n";

static char count_path[512], scan_path[512];

static long long read_count(double *us)
{
	char buf[4096], *s, *e;
	struct timespec a;
	long long sum = 0;
	int n, field = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	n = tool_read(count_path, buf, sizeof(buf));
	if (us)
		*us = tool_us_since(&a);
	if (n < 0)
		tool_die("cannot read %s: %s", count_path, strerror(-n));
	for (s = buf; *s; s = e) {
		long long v = strtoll(s, &e, 10);

		if (e == s) {	/* not a number: skip one char (newline) */
			if (*s == '\n')
				field = 0;
			e = s + 1;
			continue;
		}
		if (field++)
			sum += v;
	}
	return sum;
}

int main(int argc, char *argv[])
{
	double rate = 10, dur = -1, next;
	unsigned long long nr = 128;
	const char *csv = NULL, *name = "x86-mmu";
	struct tool_stat scan = { 0 }, cnt = { 0 };
	long long drop = 0, first = -1, last = -1;
	char pat[256], req[64];
	glob_t g;
	int opt, fd;
	FILE *f;

	tool_init("shrinkscan");
	while ((opt = getopt(argc, argv, "n:r:d:s:o:h")) != -1) {
		switch (opt) {
		case 'n':
			nr = tool_size(optarg);
			if (!nr)
				tool_usage(usage, "-n: '%s' is not a count > 0", optarg);
			break;
		case 'r':
			rate = tool_num(optarg);
			if (rate <= 0 || rate > 100000)
				tool_usage(usage, "-r: '%s' is not a rate > 0", optarg);
			break;
		case 's':
			name = optarg;
			break;
		default:
			tool_opt(opt, usage, &dur, &csv, NULL);
		}
	}
	tool_no_operands(argc, argv, usage);

	snprintf(pat, sizeof(pat), "/sys/kernel/debug/shrinker/%s-*", name);
	if (glob(pat, 0, NULL, &g) || !g.gl_pathc)
		tool_die("no %s (shrinker not registered, or no CONFIG_SHRINKER_DEBUG / debugfs)", pat);
	if (g.gl_pathc > 1)
		fprintf(stderr, "shrinkscan: %zu matches for %s, using %s\n",
			g.gl_pathc, pat, g.gl_pathv[0]);
	snprintf(count_path, sizeof(count_path), "%s/count", g.gl_pathv[0]);
	snprintf(scan_path, sizeof(scan_path), "%s/scan", g.gl_pathv[0]);
	fd = open(scan_path, O_WRONLY);
	if (fd < 0)
		tool_die("cannot open %s: %s", scan_path, strerror(errno));
	snprintf(req, sizeof(req), "0 0 %llu", nr);
	f = tool_csv(csv, "t_ms,count_before,count_after,scan_us,count_us");

	for (next = 0; tool_running(dur); ) {
		double t = tool_ms(), cus, sus;
		long long before, after;
		struct timespec a;

		before = read_count(&cus);
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (write(fd, req, strlen(req)) < 0)
			tool_die("write '%s' to %s: %s", req, scan_path, strerror(errno));
		sus = tool_us_since(&a);
		after = read_count(NULL);
		tool_stat_add(&scan, sus);
		tool_stat_add(&cnt, cus);
		if (first < 0)
			first = before;
		last = after;
		if (before > after)
			drop += before - after;
		if (f)
			fprintf(f, "%.1f,%lld,%lld,%.0f,%.0f\n", t, before, after, sus, cus);
		tool_sleep_until(tool_pace(&next, 1000.0 / rate, dur));
	}
	close(fd);
	if (f)
		fclose(f);
	printf("shrinkscan: %s: %lu scans of %llu in %.1f s, count %lld -> %lld, "
	       "count drop total %lld, scan us min/avg/max %.0f/%.0f/%.0f, "
	       "count us min/avg/max %.0f/%.0f/%.0f\n",
	       g.gl_pathv[0] + strlen("/sys/kernel/debug/shrinker/"), scan.n, nr,
	       tool_ms() / 1000, first, last, drop, scan.min, tool_stat_avg(&scan),
	       scan.max, cnt.min, tool_stat_avg(&cnt), cnt.max);
	globfree(&g);
	return 0;
}
