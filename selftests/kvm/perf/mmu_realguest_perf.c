// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_realguest_perf: the throughput and KVM MMU statistics of a real guest
 * OS across four timed phases, with an optional memory-pressure command
 * run during the third one: mmu_reclaim_perf's measurement (the phases,
 * the pressure command and the output files of reclaim_phases.h), with a
 * guest run by QEMU with -accel kvm (scripts/realguest/) instead of a VM
 * of its own.
 *
 * The guest command (-c cmd) runs as "sh -c 'exec cmd'" in its own process
 * group at the start of warmup, so that the VM's owner is the child's pid.
 * Its stdout and stderr (the guest's serial console) go to guest.log;
 * every line containing "realguest: ops <n>", n = operations done since
 * the workload started, is a throughput report.  The first report is the
 * baseline.  Each later report is one row of iter.csv with vcpu 0,
 * iter = n and lat_us = the host time since the previous report divided by
 * the operations done in between: microseconds per guest operation (the
 * whole interval if there were none), so the phases' mean lat_us compare
 * like mmu_reclaim_perf's passes do.  A count that went back (a garbled
 * line) is dropped.
 *
 * Phases: warmup lasts until -W seconds after the first report, which must
 * come within -B seconds of the start; steady, pressure and recovery last
 * -S, -P and -R seconds.  A guest that is gone ends every later phase at
 * once.  After recovery the process group gets SIGTERM (SIGKILL 5 s later).
 *
 * Statistics come from /sys/kernel/debug/kvm/<pid>-<fd>/, the VM's debugfs
 * directory (vCPU stats such as pf_taken are summed over the vCPUs there;
 * all 0 until QEMU has created the VM).  run.txt has, besides
 * reclaim_phases.h's keys, guest_cmd, guest_cmd_pid, guest_vm_debugfs,
 * guest_cmd_status, guest_cmd_early, guest_cmd_killed, guest_first_report,
 * boot_s and guest_reports_<phase>; iterations_vcpu0 counts the reports and
 * memory_verified is n/a.
 *
 * Exit: 0 pass, 1 failure: bad arguments, the pressure command failed, the
 * guest printed no report within -B seconds, exited before the end of
 * recovery, or the steady, pressure or recovery phase had no report.
 */
#include <pthread.h>

#include "test_util.h"
#include "reclaim_phases.h"

#define DEFAULT_BOOT_S		120
#define REPORT			"realguest: ops "

static const char *guest_cmd;
static long boot_s = DEFAULT_BOOT_S;
static struct iter_log guest_log;
static pid_t guest_pid;
static pthread_t reader;
static FILE *guest_out;
static volatile bool gone;		/* its output ended: it exited */
static bool early, killed, noreport;
static int guest_status;
static char *vm_dir;			/* its VM's debugfs directory */
static volatile double first_ms = -1;	/* time of the first report */

/* Copies the console to guest.log and turns reports into iterations. */
static void *reader_thread(void *data)
{
	uint64_t ops, prev_ops = 0;
	double t, prev = -1;
	char line[4096], *p;

	while (fgets(line, sizeof(line), data)) {
		t = now_ms();
		fputs(line, guest_out);
		p = strstr(line, REPORT);
		if (!p)
			continue;
		ops = strtoull(p + strlen(REPORT), NULL, 10);
		/* A count that went back is a garbled line: keep the baseline. */
		if (prev >= 0 && ops < prev_ops)
			continue;
		if (prev >= 0)
			add_rec(&guest_log, t, ops,
				(t - prev) / (ops > prev_ops ? ops - prev_ops : 1));
		else
			WRITE_ONCE(first_ms, t);
		prev = t;
		prev_ops = ops;
		WRITE_ONCE(guest_log.last_iter, guest_log.last_iter + 1);
	}
	fflush(guest_out);
	WRITE_ONCE(gone, true);
	return NULL;
}

static void guest_start(const char *outdir)
{
	FILE *in;
	char *sh;
	int fd[2];

	guest_out = open_out(outdir, "guest.log");
	/* The guest keeps only the dup2()ed write end. */
	TEST_ASSERT(!pipe2(fd, O_CLOEXEC), "pipe for the guest failed");
	TEST_ASSERT(asprintf(&sh, "exec %s", guest_cmd) > 0, "out of memory");
	guest_pid = spawn_group(sh, fd[1]);
	close(fd[1]);
	free(sh);
	in = fdopen(fd[0], "r");
	TEST_ASSERT(in, "fdopen of the guest's output failed");
	pthread_create(&reader, NULL, reader_thread, in);
}

/* After recovery: SIGTERM to its group, SIGKILL after the grace. */
static void guest_stop(void)
{
	double t = now_ms();

	early = READ_ONCE(gone);
	kill(-guest_pid, SIGTERM);
	guest_status = reap_group(guest_pid, t, &killed);
	pthread_join(reader, NULL);
	fclose(guest_out);
}

static uint64_t vm_stat(const char *name)
{
	unsigned long long v = 0;
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", vm_dir, name) < 0)
		return 0;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* The VM's stats; zeros until QEMU has created it and its vCPUs. */
static void source_sample(struct stat_sample *s)
{
	char pat[PATH_MAX];
	glob_t g;

	if (!guest_pid)
		return;
	if (!vm_dir) {
		snprintf(pat, sizeof(pat), "/sys/kernel/debug/kvm/%d-*/vcpu0", guest_pid);
		if (glob(pat, 0, NULL, &g))
			return;
		vm_dir = strdup(g.gl_pathv[g.gl_pathc - 1]);
		TEST_ASSERT(vm_dir, "out of memory");
		*strrchr(vm_dir, '/') = 0;
		globfree(&g);
	}
	s->zapped = vm_stat("mmu_shadow_zapped");
	s->recycled = vm_stat("mmu_recycled");
	s->cache_miss = vm_stat("mmu_cache_miss");
	s->pages_4k = vm_stat("pages_4k");
	/* vCPU stats are there too, summed over the vCPUs by KVM. */
	s->pf_taken = vm_stat("pf_taken");
	s->pf_fixed = vm_stat("pf_fixed");
	s->pf_spurious = vm_stat("pf_spurious");
}

/* Warmup: -W s after the first report, which must come within -B s. */
static bool phase_more(struct run *r, int p, double t, double end)
{
	if (READ_ONCE(gone))
		return false;
	if (p != WARMUP)
		return t < end;
	if (READ_ONCE(first_ms) >= 0)
		return t < READ_ONCE(first_ms) + r->dur[WARMUP] * 1000.0;
	if (t - r->start[WARMUP] > boot_s * 1000.0) {
		noreport = true;
		return false;
	}
	return true;
}

/* A guest that is gone or never reported: no more phases. */
static bool phase_begin(struct run *r, int p)
{
	bool dead = READ_ONCE(gone) || noreport;

	if (p == WARMUP)
		guest_start(r->outdir);
	return dead;
}

static void help(const char *name)
{
	printf("usage: %s [-h] -c 'guest command' [-B s] [-W s] [-S s] [-P s] [-R s]\n"
	       "          [-p 'pressure command'] [-i interval_ms] [-o dir]\n", name);
	printf(" -c: the guest: a command running QEMU with KVM whose output has\n"
	       "     \"" REPORT "<n>\" lines (see the program's top comment)\n");
	printf(" -B: seconds to wait for the first report. Default: %d\n",
	       DEFAULT_BOOT_S);
	run_help("after the guest's first report");
	printf("Exit: 0 pass, 1 failure.\n");
}

int main(int argc, char *argv[])
{
	const char *name = argv[0];
	struct run run;
	char buf[64];
	FILE *f;
	int opt, p;

	run_init(&run);
	while ((opt = getopt(argc, argv, "hc:B:W:S:P:R:p:i:o:")) != -1) {
		if (run_option(&run, name, opt))
			continue;
		switch (opt) {
		case 'c':
			guest_cmd = optarg;
			break;
		case 'B':
			boot_s = parse_long(name, "-B", optarg, 1, 86400);
			break;
		default:
			help_or_usage(name, opt);
		}
	}
	run_options_done(&run, name, argc, argv);
	if (!guest_cmd)
		usage_error(name, "%s is required: the guest command to run", "-c cmd");
	run.logs = &guest_log;
	run.nr_logs = 1;

	pr_info("mmu_realguest_perf: %s\n", guest_cmd);
	run_phases(&run);
	guest_stop();
	run_outputs(&run);

	wait_status_str(guest_status, buf, sizeof(buf));
	pr_info("guest: %s%s%s\n", buf,
		early ? " (exited before the end of recovery)" : "",
		killed ? " (needed SIGKILL)" : "");
	if (noreport || early)
		run_fail(&run, "guest %s (%s), see guest.log; ",
			 noreport ? "printed no report within -B" :
			 "exited before the end of recovery", buf);
	for (p = STEADY; p < NR_PHASES; p++)
		if (!run.iters[p])
			run_fail(&run, "invalid run: no report in the %s phase; ",
				 phase_name[p]);

	f = run_txt_open(&run, "mmu_realguest_perf");
	fprintf(f, "guest_cmd=%s\nguest_cmd_pid=%d\nguest_vm_debugfs=%s\n"
		"guest_cmd_status=%s\nguest_cmd_early=%s\nguest_cmd_killed=%s\n"
		"guest_first_report=%s\nboot_s=%ld\n", guest_cmd, guest_pid,
		vm_dir ? vm_dir : "none", buf, early ? "yes" : "no",
		killed ? "yes" : "no", noreport ? "no" : "yes", boot_s);
	for (p = 0; p < NR_PHASES; p++)
		fprintf(f, "guest_reports_%s=%lu\n", phase_name[p], run.iters[p]);
	run_txt_phases(&run, f);
	fprintf(f, "memory_verified=n/a\n");
	return run_result(&run, f);
}
