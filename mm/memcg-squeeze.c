// SPDX-License-Identifier: GPL-2.0
/*
 * memcg-squeeze: put a process (the workload) into a cgroup v2 memory cgroup
 * and lower its memory.max (or memory.high, -k) step by step to a floor,
 * holding the floor until SIGTERM/SIGINT or -d seconds; then restore the
 * knob to "max".  Shows memcg reclaim against a VM: the x86-mmu shrinker
 * is not memcg-aware (no SHRINKER_MEMCG_AWARE), so memcg reclaim never
 * calls it, although the shadow pages (sec_pagetables in memory.stat) are
 * charged to the memcg.
 *
 * The cgroup is /sys/fs/cgroup/<name> (-g, default squeeze).  "+memory" is
 * enabled in the root's cgroup.subtree_control.  If the cgroup does not
 * exist it is created, and at exit the process is moved back to the root
 * and the cgroup removed; an existing one is reused and kept.
 *
 * Charges stay where they were made: moving a running process charges only
 * its new allocations to the new cgroup.  To squeeze all of a workload's
 * memory, start it inside the cgroup, e.g. in the job script:
 *   echo +memory > /sys/fs/cgroup/cgroup.subtree_control
 *   mkdir /sys/fs/cgroup/squeeze; echo $$ > /sys/fs/cgroup/squeeze/cgroup.procs
 * Relative sizes (-f, -s as pct%) are of memory.current when the tool
 * starts; a cgroup with less than 4 MiB charged is refused for them.
 * Writing memory.max below memory.current reclaims synchronously (and can
 * OOM-kill in the cgroup): each write is timed (write_us).
 *
 * CSV (-o, one row per -i ms): t_ms,limit_bytes,write_us,memory_current,
 *   anon,sec_pagetables,events_high,events_max,events_oom,events_oom_kill
 * Summary: memcg-squeeze: pid, cgroup, limit start -> floor in n steps,
 *   memory.current start/min/end, sec_pagetables start/end, memory.events
 *   deltas (low high max oom oom_kill oom_group_kill).  Exit 1 if an OOM
 *   kill happened in the cgroup.
 */
#include <sys/stat.h>
#include "tool.h"

static const char usage[] =
	"usage: memcg-squeeze [-p pid] [-g name] [-k max|high] [-f floor] [-s step]\n"
	"                     [-i interval_ms] [-d seconds] [-o csv]\n"
	"  -p  pid to move into the cgroup (default $MMU_PERF_PID)\n"
	"  -g  cgroup name under /sys/fs/cgroup (default squeeze)\n"
	"  -k  knob lowered: max (memory.max, default) or high (memory.high)\n"
	"  -f  floor: bytes (512M) or pct% of memory.current at start (default 50%)\n"
	"  -s  step: bytes or pct% of memory.current at start (default 10%)\n"
	"  -i  ms between steps and CSV rows (default 1000)\n"
	"  -d  stop after this many seconds (default: until SIGTERM)\n"
	"  -o  CSV file: t_ms,limit_bytes,write_us,memory_current,anon,sec_pagetables,\n"
	"      events_high,events_max,events_oom,events_oom_kill\n";

static const char *const ev_keys[] = {
	"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
};
#define NR_EV (sizeof(ev_keys) / sizeof(ev_keys[0]))

static char cg[256];

static long long cg_val(const char *file)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	if (tool_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

static long long cg_kv(const char *file, const char *key)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return tool_kv(path, key);
}

static int cg_write(const char *file, const char *val)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return tool_write(path, val);
}

static void events(long long *v)
{
	size_t i;

	for (i = 0; i < NR_EV; i++)
		v[i] = cg_kv("memory.events", ev_keys[i]);
}

/* "512M" or "50%" of ref; 0 on garbage. */
static long long rel_size(const char *s, long long ref, int *is_pct)
{
	size_t n = strlen(s);

	*is_pct = n && s[n - 1] == '%';
	if (*is_pct) {
		char tmp[64];
		double p;

		snprintf(tmp, sizeof(tmp), "%.*s", (int)n - 1, s);
		p = tool_num(tmp);
		return p > 0 && p <= 100 ? (long long)(ref * p / 100) : 0;
	}
	return (long long)tool_size(s);
}

int main(int argc, char *argv[])
{
	const char *name = "squeeze", *knob = "memory.max", *csv = NULL;
	const char *floor_s = "50%", *step_s = "10%", *env = getenv("MMU_PERF_PID");
	double interval = 1000, dur = -1, next;
	long long pid = env ? atoll(env) : 0, start, floor_b, step_b, limit;
	long long cur_min, spt0, e0[NR_EV], e1[NR_EV];
	int opt, created = 0, r, fp, sp, steps = 0, werr = 0;
	char buf[64], path[512];
	struct tool_stat ws = { 0 };
	FILE *f;
	size_t i;

	tool_init("memcg-squeeze");
	while ((opt = getopt(argc, argv, "p:g:k:f:s:i:d:o:h")) != -1) {
		switch (opt) {
		case 'p':
			pid = atoll(optarg);
			break;
		case 'g':
			name = optarg;
			if (!*name || strchr(name, '/') || name[0] == '.')
				tool_usage(usage, "-g: '%s' is not a cgroup name", optarg);
			break;
		case 'k':
			if (!strcmp(optarg, "max"))
				knob = "memory.max";
			else if (!strcmp(optarg, "high"))
				knob = "memory.high";
			else
				tool_usage(usage, "-k: '%s' is not max or high", optarg);
			break;
		case 'f':
			floor_s = optarg;
			break;
		case 's':
			step_s = optarg;
			break;
		default:
			tool_opt(opt, usage, &dur, &csv, &interval);
		}
	}
	tool_no_operands(argc, argv, usage);
	if (pid <= 0)
		tool_usage(usage, "no pid: give -p or set MMU_PERF_PID");
	snprintf(path, sizeof(path), "/proc/%lld", pid);
	if (access(path, F_OK))
		tool_die("no process %lld", pid);

	if (access("/sys/fs/cgroup/cgroup.subtree_control", F_OK))
		tool_die("cgroup2 is not mounted at /sys/fs/cgroup");
	if ((r = tool_write("/sys/fs/cgroup/cgroup.subtree_control", "+memory")))
		tool_die("enable +memory in /sys/fs/cgroup/cgroup.subtree_control: %s",
			 strerror(-r));
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/%s", name);
	if (mkdir(cg, 0755) == 0)
		created = 1;
	else if (errno != EEXIST)
		tool_die("mkdir %s: %s", cg, strerror(errno));
	snprintf(buf, sizeof(buf), "%lld", pid);
	if ((r = cg_write("cgroup.procs", buf)))
		tool_die("move pid %lld into %s: %s", pid, cg, strerror(-r));

	start = cg_val("memory.current");
	if (start < 0)
		tool_die("no %s/memory.current (memory controller not enabled?)", cg);
	floor_b = rel_size(floor_s, start, &fp);
	step_b = rel_size(step_s, start, &sp);
	if ((fp || sp) && start < (4 << 20))
		tool_die("%s has only %lld KiB charged (charges stay where they were made: "
			 "start the workload inside the cgroup) - give -f and -s in bytes",
			 cg, start >> 10);
	if (!floor_b || !step_b)
		tool_usage(usage, "bad -f '%s' or -s '%s'", floor_s, step_s);

	events(e0);
	spt0 = cg_kv("memory.stat", "sec_pagetables");
	cur_min = start;
	f = tool_csv(csv, "t_ms,limit_bytes,write_us,memory_current,anon,sec_pagetables,"
		     "events_high,events_max,events_oom,events_oom_kill");
	limit = start;
	for (next = 0; tool_running(dur); ) {
		long long cur;
		double us = 0;

		if (limit > floor_b) {
			struct timespec a;

			limit = limit - step_b > floor_b ? limit - step_b : floor_b;
			snprintf(buf, sizeof(buf), "%lld", limit);
			clock_gettime(CLOCK_MONOTONIC, &a);
			r = cg_write(knob, buf);
			us = tool_us_since(&a);
			if (r && !werr) {
				fprintf(stderr, "memcg-squeeze: write %s to %s: %s\n",
					buf, knob, strerror(-r));
				werr = 1;
			}
			tool_stat_add(&ws, us);
			steps++;
		}
		cur = cg_val("memory.current");
		if (cur >= 0 && cur < cur_min)
			cur_min = cur;
		if (f) {
			events(e1);
			fprintf(f, "%.1f,%lld,%.0f,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
				tool_ms(), limit, us, cur, cg_kv("memory.stat", "anon"),
				cg_kv("memory.stat", "sec_pagetables"), e1[1], e1[2], e1[3], e1[4]);
		}
		tool_sleep_until(tool_pace(&next, interval, dur));
	}

	events(e1);
	printf("memcg-squeeze: pid %lld in %s%s, %s %lld MiB -> %lld MiB in %d steps "
	       "(write ms avg/max %.1f/%.1f), memory.current %lld -> min %lld -> %lld MiB, "
	       "sec_pagetables %lld -> %lld KiB, events",
	       pid, cg, created ? "" : " (existing)", knob, start >> 20, limit >> 20, steps,
	       tool_stat_avg(&ws) / 1000, ws.max / 1000, start >> 20, cur_min >> 20,
	       cg_val("memory.current") >> 20, spt0 >> 10,
	       cg_kv("memory.stat", "sec_pagetables") >> 10);
	for (i = 0; i < NR_EV; i++)
		printf(" %s +%lld", ev_keys[i], e1[i] - e0[i]);
	printf("\n");
	if (f)
		fclose(f);

	if ((r = cg_write(knob, "max")))
		fprintf(stderr, "memcg-squeeze: restore %s: %s\n", knob, strerror(-r));
	if (created) {
		snprintf(buf, sizeof(buf), "%lld", pid);
		tool_write("/sys/fs/cgroup/cgroup.procs", buf);	/* gone already: fine */
		if (rmdir(cg))
			fprintf(stderr, "memcg-squeeze: rmdir %s: %s\n", cg, strerror(errno));
	}
	return e1[4] > e0[4] ? 1 : 0;
}
