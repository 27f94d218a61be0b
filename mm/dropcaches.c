// SPDX-License-Identifier: GPL-2.0
/*
 * dropcaches: write a value (default "2": reclaim slab objects, which runs
 * every shrinker, x86-mmu included) to /proc/sys/vm/drop_caches at a fixed
 * rate until SIGTERM/SIGINT or -d seconds.  Each write is timed.
 *
 * CSV (-o): t_ms,write_us   (t_ms: start of the write, since tool start)
 * Summary: dropcaches: <n> writes of <v> in <s> s, write us min/avg/max ...
 */
#include "tool.h"

static const char usage[] =
	"usage: dropcaches [-r per_second] [-d seconds] [-v 1|2|3] [-o csv]\n"
	"  -r  writes per second (default 2)\n"
	"  -d  stop after this many seconds (default: until SIGTERM)\n"
	"  -v  value written (default 2 = slab/shrinkers; 1 = page cache; 3 = both)\n"
	"  -o  CSV file: t_ms,write_us\n";

int main(int argc, char *argv[])
{
	double rate = 2, dur = -1, next, t;
	const char *csv = NULL, *val = "2";
	struct tool_stat ws = { 0 };
	unsigned long errors = 0;
	int opt, fd, last_err = 0;
	FILE *f;

	tool_init("dropcaches");
	while ((opt = getopt(argc, argv, "r:d:v:o:h")) != -1) {
		switch (opt) {
		case 'r':
			rate = tool_num(optarg);
			if (rate <= 0 || rate > 100000)
				tool_usage(usage, "-r: '%s' is not a rate > 0", optarg);
			break;
		case 'v':
			if (strcmp(optarg, "1") && strcmp(optarg, "2") && strcmp(optarg, "3"))
				tool_usage(usage, "-v: '%s' is not 1, 2 or 3", optarg);
			val = optarg;
			break;
		default:
			tool_opt(opt, usage, &dur, &csv, NULL);
		}
	}
	tool_no_operands(argc, argv, usage);

	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0)
		tool_die("cannot open /proc/sys/vm/drop_caches: %s", strerror(errno));
	f = tool_csv(csv, "t_ms,write_us");

	for (next = 0; tool_running(dur); ) {
		struct timespec a;
		double us;

		t = tool_ms();
		clock_gettime(CLOCK_MONOTONIC, &a);
		/* Offset 0 each time: sysctl ignores writes at other offsets. */
		if (pwrite(fd, val, 1, 0) != 1) {
			last_err = errno;
			errors++;
		}
		us = tool_us_since(&a);
		tool_stat_add(&ws, us);
		if (f)
			fprintf(f, "%.1f,%.0f\n", t, us);
		tool_sleep_until(tool_pace(&next, 1000.0 / rate, dur));
	}
	close(fd);
	if (f)
		fclose(f);
	printf("dropcaches: %lu writes of %s in %.1f s, write us min/avg/max %.0f/%.0f/%.0f",
	       ws.n, val, tool_ms() / 1000, ws.min, tool_stat_avg(&ws), ws.max);
	if (errors)
		printf(", %lu failed (%s)", errors, strerror(last_err));
	printf("\n");
	return errors ? 1 : 0;
}
