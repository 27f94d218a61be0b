/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measured run shared by mmu_reclaim_perf (its own VM) and
 * mmu_realguest_perf (a real guest run by QEMU): four timed phases, a
 * pressure command during the third, statistics sampled every interval,
 * and the files the bench reads.  Header-only, as reclaim_util.h.
 *
 * Phases, in order: warmup, steady, pressure (the -p command runs during
 * exactly this phase), recovery.  The program says what starts with a
 * phase (phase_begin()), when a phase may end (phase_more()) and what a
 * sample holds (source_sample()).
 *
 * Pressure command (-p): started with vfork + execl("/bin/sh", "-c", cmd) in
 * its own process group at the start of the pressure phase, with
 * MMU_PERF_PID set to this program's pid (also $PPID of that shell).  At
 * the end of the pressure phase its process group gets SIGTERM (SIGKILL 5 s
 * later if it is still there); it is reaped during recovery.  OK outcomes:
 * it was still running at the end of the phase and then exited 0 or died of
 * SIGTERM, or it finished early with exit status 0 (a one-shot command).
 * Anything else (early non-zero exit, early death by a signal, non-zero
 * exit after SIGTERM, SIGKILL needed) is a failure.
 *
 * Outputs in the -o directory:
 *   iter.csv    t_ms,vcpu,iter,phase,lat_us
 *               one row per completed iteration; t_ms = end of the
 *               iteration, ms since program start; phase = phase at t_ms.
 *               Iterations completed after the end of recovery are dropped.
 *   stats.csv   t_ms,phase,mmu_shadow_zapped,mmu_recycled,mmu_cache_miss,
 *               pages_4k,pf_taken,pf_fixed,pf_spurious,shrinker_count,
 *               memfree_kb,secpagetables_kb
 *               VM stats; pf_* summed over vCPUs; shrinker_count = sum of
 *               the per-node numbers in every
 *               /sys/kernel/debug/shrinker/x86-mmu-* /count (0 if empty,
 *               -1 if there is none); memfree/secpagetables from
 *               /proc/meminfo (-1 if missing).
 *   phases.csv  phase,start_ms,end_ms (four rows, in order).
 *   run.txt     key=value: the kernel, clocksource (timestamps have jiffy
 *               resolution on a jiffies clocksource) and KVM module
 *               parameters, the program's own keys, the phases, the
 *               pressure command (pid/start/end/status and whether that
 *               status is OK), iterations per vCPU per phase, and
 *               result=pass|fail with the reason.
 * stdout: one line per phase (iterations/vCPU, mean/min/max ms per
 * iteration, deltas of the main stats) and a final result line.
 */
#ifndef SELFTEST_KVM_RECLAIM_PHASES_H
#define SELFTEST_KVM_RECLAIM_PHASES_H

#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/compiler.h>

#include "reclaim_util.h"

#define DEFAULT_WARMUP		5.0
#define DEFAULT_STEADY		10.0
#define DEFAULT_PRESSURE	10.0
#define DEFAULT_RECOVERY	10.0
#define DEFAULT_INTERVAL_MS	250
#define KILL_GRACE_MS		5000

enum phase { WARMUP, STEADY, PRESSURE, RECOVERY, NR_PHASES };
static const char * const phase_name[NR_PHASES] = {
	"warmup", "steady", "pressure", "recovery",
};

/* One completed iteration: a row of iter.csv. */
struct iter_rec {
	double t_ms;
	uint32_t iter;
	uint32_t phase;
	uint64_t lat_us;
};

/* The iterations of one vCPU (or of the real guest). */
struct iter_log {
	struct iter_rec *recs;
	size_t nr_recs, cap_recs;
	uint64_t last_iter;		/* last completed iteration */
};

struct stat_sample {
	double t_ms;
	int phase;
	uint64_t zapped, recycled, cache_miss, pages_4k;
	uint64_t pf_taken, pf_fixed, pf_spurious;
	long long shrinker_count, memfree_kb, secpt_kb;
};

/* A measured run: what main() sets, and what the phases record. */
struct run {
	const char *outdir;
	const char *cmd;		/* the pressure command, or NULL */
	double dur[NR_PHASES];
	long interval;
	double start[NR_PHASES], end[NR_PHASES];
	size_t first[NR_PHASES], last;	/* samples at each phase's start */
	struct iter_log *logs;
	int nr_logs;
	uint64_t iters[NR_PHASES];	/* iterations of every log, per phase */
	bool idle[NR_PHASES];		/* a log without one in that phase */
	char fail_reason[512];
};

/*
 * What the program defines: the VM's counters of a sample; what starts
 * with phase p (warmup: the guest), true if the guest is gone, so that the
 * phase ends at once and no pressure command runs; whether phase p,
 * planned to end at end, goes on at t.
 */
static void source_sample(struct stat_sample *s);
static bool phase_begin(struct run *r, int p);
static bool phase_more(struct run *r, int p, double t, double end);

static struct timespec t0;
static volatile int cur_phase = WARMUP;
static double end_ms = 1e300;	/* records after this are dropped */

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - t0.tv_sec) * 1e3 + (ts.tv_nsec - t0.tv_nsec) / 1e6;
}

/* One row of iter.csv; those after the end of recovery are dropped. */
static inline void add_rec(struct iter_log *l, double t, uint64_t iter, double lat_ms)
{
	if (t > end_ms)
		return;
	if (l->nr_recs == l->cap_recs) {
		l->cap_recs = l->cap_recs ? 2 * l->cap_recs : 1024;
		l->recs = realloc(l->recs, l->cap_recs * sizeof(*l->recs));
		TEST_ASSERT(l->recs, "out of memory for iteration records");
	}
	l->recs[l->nr_recs++] = (struct iter_rec){
		.t_ms = t, .iter = iter, .phase = READ_ONCE(cur_phase),
		.lat_us = (uint64_t)(lat_ms * 1000.0 + 0.5),
	};
}

/* Add to the run's failure reason (it fails when that is not empty). */
static inline void run_fail(struct run *r, const char *fmt, ...)
{
	size_t n = strlen(r->fail_reason);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->fail_reason + n, sizeof(r->fail_reason) - n, fmt, ap);
	va_end(ap);
}

/* Sum of the numbers after the memcg ino on every line of every count file. */
static inline long long shrinker_count(void)
{
	glob_t g;
	long long sum = 0;
	size_t i;

	if (glob("/sys/kernel/debug/shrinker/x86-mmu-*/count", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "r");
		char line[4096];

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *s = line, *e;
			int field = 0;

			for (;;) {
				long long v = strtoll(s, &e, 10);

				if (e == s)
					break;
				if (field++)
					sum += v;
				s = e;
			}
		}
		fclose(f);
	}
	globfree(&g);
	return sum;
}

/* Growable array of samples: keep indices, a realloc() moves it. */
static struct stat_sample *samples;
static size_t nr_samples, cap_samples;

static inline size_t sample(int phase)
{
	struct stat_sample *s;

	if (nr_samples == cap_samples) {
		cap_samples = cap_samples ? 2 * cap_samples : 1024;
		samples = realloc(samples, cap_samples * sizeof(*samples));
		TEST_ASSERT(samples, "out of memory for samples");
	}
	s = &samples[nr_samples];
	memset(s, 0, sizeof(*s));
	s->t_ms = now_ms();
	s->phase = phase;
	s->shrinker_count = shrinker_count();
	s->memfree_kb = meminfo_kb("MemFree");
	s->secpt_kb = meminfo_kb("SecPageTables");
	source_sample(s);
	return nr_samples++;
}

/* ---- child commands (pressure, real guest) -------------------------- */

/*
 * Run "sh -c cmd" in a process group of its own, which gets SIGTERM if we
 * die.  With out >= 0 its stdout and stderr go there and stdin is
 * /dev/null.  vfork, not fork: fork() would write-protect all of this
 * process's anonymous memory for copy-on-write, and the MMU notifier would
 * then zap every KVM mapping of guest memory, a pressure of its own.  The
 * child only makes raw system calls before execl().
 */
static inline pid_t spawn_group(const char *cmd, int out)
{
	pid_t pid = vfork();

	TEST_ASSERT(pid >= 0, "vfork for '%s' failed", cmd);
	if (!pid) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (out >= 0) {
			dup2(out, 1);
			dup2(out, 2);
			close(0);
			open("/dev/null", O_RDONLY);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

/* Wait for pid; SIGKILL to its group KILL_GRACE_MS after term_ms. */
static inline int reap_group(pid_t pid, double term_ms, bool *killed)
{
	int st;

	while (waitpid(pid, &st, WNOHANG) != pid) {
		if (!*killed && now_ms() - term_ms > KILL_GRACE_MS) {
			kill(-pid, SIGKILL);
			*killed = true;
		}
		sleep_ms(10);
	}
	return st;
}

static inline void wait_status_str(int st, char *buf, size_t len)
{
	if (WIFEXITED(st))
		snprintf(buf, len, "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(buf, len, "status 0x%x", st);
}

/* ---- pressure command ----------------------------------------------- */

static pid_t press_pid;
static double press_start_ms = -1, press_end_ms = -1, press_term_ms = -1;
static int press_status = -1;
static bool press_early, press_killed;

static inline void press_start(const char *cmd)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	setenv("MMU_PERF_PID", pid, 1);
	press_pid = spawn_group(cmd, -1);
	press_start_ms = now_ms();
}

/* Non-blocking reap; true once the command is gone. */
static inline bool press_reap(void)
{
	int st;
	pid_t r;

	if (!press_pid || press_end_ms >= 0)
		return true;
	r = waitpid(press_pid, &st, WNOHANG);
	if (r != press_pid)
		return false;
	press_status = st;
	press_end_ms = now_ms();
	return true;
}

static inline void press_stop(void)
{
	if (!press_pid)
		return;
	if (press_reap())
		press_early = true;
	else
		press_term_ms = now_ms();
	/* Also any background children left in its process group. */
	kill(-press_pid, SIGTERM);
}

/* Called from the recovery loop and at the end: SIGKILL after the grace. */
static inline void press_poll(bool final)
{
	if (!press_pid || press_reap())
		return;
	if (press_term_ms >= 0 && (final || now_ms() - press_term_ms > KILL_GRACE_MS)) {
		press_status = reap_group(press_pid, press_term_ms, &press_killed);
		press_end_ms = now_ms();
	}
}

static inline void press_status_str(char *buf, size_t len)
{
	if (!press_pid)
		snprintf(buf, len, "none");
	else if (press_end_ms < 0)
		snprintf(buf, len, "running");
	else
		wait_status_str(press_status, buf, len);
}

static inline bool press_ok(void)
{
	if (!press_pid)
		return true;
	if (press_killed || press_end_ms < 0)
		return false;
	if (WIFEXITED(press_status) && WEXITSTATUS(press_status) == 0)
		return true;
	return !press_early && WIFSIGNALED(press_status) &&
	       WTERMSIG(press_status) == SIGTERM;
}

/* ---- options -------------------------------------------------------- */

static inline double parse_secs(const char *name, const char *opt, const char *s)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (errno || e == s || *e || !(v >= 0) || v > 86400) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "%s: '%%s' is not a number of seconds in [0, 86400]", opt);
		usage_error(name, msg, s);
	}
	return v;
}

/*
 * The options both programs take (-W -S -P -R -p -i -o); false for any
 * other.  Call run_init() first and run_options_done() after getopt().
 */
static inline bool run_option(struct run *r, const char *name, int opt)
{
	switch (opt) {
	case 'W':
		r->dur[WARMUP] = parse_secs(name, "-W", optarg);
		return true;
	case 'S':
		r->dur[STEADY] = parse_secs(name, "-S", optarg);
		return true;
	case 'P':
		r->dur[PRESSURE] = parse_secs(name, "-P", optarg);
		return true;
	case 'R':
		r->dur[RECOVERY] = parse_secs(name, "-R", optarg);
		return true;
	case 'p':
		r->cmd = optarg;
		return true;
	case 'i':
		r->interval = parse_long(name, "-i", optarg, 10, 3600000);
		return true;
	case 'o':
		r->outdir = optarg;
		return true;
	}
	return false;
}

/* The help lines of those options; warmup says how long warmup lasts. */
static inline void run_help(const char *warmup)
{
	printf(" -W: warmup seconds (%s). Default: %.0f\n", warmup, DEFAULT_WARMUP);
	printf(" -S: steady seconds. Default: %.0f\n", DEFAULT_STEADY);
	printf(" -P: pressure seconds. Default: %.0f\n", DEFAULT_PRESSURE);
	printf(" -R: recovery seconds. Default: %.0f\n", DEFAULT_RECOVERY);
	printf(" -p: shell command run (sh -c, own process group, MMU_PERF_PID set)\n"
	       "     during the pressure phase; SIGTERM at its end. Default: none\n");
	printf(" -i: statistics sampling interval in ms (>= 10). Default: %d\n",
	       DEFAULT_INTERVAL_MS);
	printf(" -o: output directory for iter.csv, stats.csv, phases.csv, run.txt.\n"
	       "     Default: $RESULTS, else .\n");
}

static inline void run_init(struct run *r)
{
	const char *env = getenv("RESULTS");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	r->outdir = env && *env ? env : ".";
	r->dur[WARMUP] = DEFAULT_WARMUP;
	r->dur[STEADY] = DEFAULT_STEADY;
	r->dur[PRESSURE] = DEFAULT_PRESSURE;
	r->dur[RECOVERY] = DEFAULT_RECOVERY;
	r->interval = DEFAULT_INTERVAL_MS;
}

static inline void run_options_done(struct run *r, const char *name, int argc,
				    char **argv)
{
	struct stat st;

	no_operands(name, argc, argv);
	mkdir(r->outdir, 0755);
	if (stat(r->outdir, &st) || !S_ISDIR(st.st_mode))
		usage_error(name, "-o: '%s' is not a directory", r->outdir);
	if (r->dur[STEADY] <= 0)
		usage_error(name, "-S: '%s': the steady phase needs a duration > 0", "0");
}

/* ---- the phases ----------------------------------------------------- */

/* Run the four phases, sampling every interval. */
static inline void run_phases(struct run *r)
{
	int p;

	for (p = 0; p < NR_PHASES; p++) {
		double end, next;
		bool dead;

		WRITE_ONCE(cur_phase, p);
		r->start[p] = now_ms();
		dead = phase_begin(r, p);
		/*
		 * Before the pressure command: this sample also ends the steady
		 * window, which must not see the command's first effects.
		 */
		r->first[p] = sample(p);
		if (p == PRESSURE && r->cmd && !dead)
			press_start(r->cmd);
		end = r->start[p] + (dead ? 0 : r->dur[p] * 1000.0);
		next = r->start[p] + r->interval;
		for (;;) {
			double t = now_ms();

			if (!phase_more(r, p, t, end))
				break;
			if (p == RECOVERY)
				press_poll(false);
			/* Past the end (warmup waiting for pass 1): sample only. */
			sleep_ms((next < end || t >= end ? next : end) - t);
			if (now_ms() >= next) {
				sample(p);
				next += r->interval;
				/* Late (a stalled main thread): skip missed ticks. */
				if (next <= now_ms())
					next = now_ms() + r->interval;
			}
		}
		/*
		 * A pressure or recovery phase of no length (-P 0, -R 0: the
		 * page limit and overhead cases) ends where it starts, so that
		 * the time its one sample takes is not a window to report on.
		 */
		if (p >= PRESSURE && r->dur[p] <= 0)
			r->end[p] = r->start[p];
		else
			r->end[p] = now_ms();
		if (p == PRESSURE)
			press_stop();
	}
	end_ms = r->end[RECOVERY];
	r->last = sample(RECOVERY);
}

static inline FILE *open_out(const char *dir, const char *file)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	TEST_ASSERT(f, "cannot write %s", path);
	return f;
}

/*
 * After the phases and the guest have stopped: iter.csv, stats.csv and
 * phases.csv, one summary line per phase on stdout, the pressure command's
 * outcome (a failure of the run if it is not OK).
 */
static inline void run_outputs(struct run *r)
{
	char status[64];
	FILE *f;
	int i, p;
	size_t k;

	press_poll(true);

	f = open_out(r->outdir, "iter.csv");
	fprintf(f, "t_ms,vcpu,iter,phase,lat_us\n");
	for (i = 0; i < r->nr_logs; i++) {
		for (k = 0; k < r->logs[i].nr_recs; k++) {
			struct iter_rec *rec = &r->logs[i].recs[k];

			fprintf(f, "%.1f,%d,%u,%s,%lu\n", rec->t_ms, i, rec->iter,
				phase_name[rec->phase], rec->lat_us);
		}
	}
	fclose(f);

	f = open_out(r->outdir, "stats.csv");
	fprintf(f, "t_ms,phase,mmu_shadow_zapped,mmu_recycled,mmu_cache_miss,pages_4k,"
		"pf_taken,pf_fixed,pf_spurious,shrinker_count,memfree_kb,secpagetables_kb\n");
	for (k = 0; k < nr_samples; k++) {
		struct stat_sample *s = &samples[k];

		fprintf(f, "%.1f,%s,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lld,%lld,%lld\n",
			s->t_ms, phase_name[s->phase], s->zapped, s->recycled,
			s->cache_miss, s->pages_4k, s->pf_taken, s->pf_fixed,
			s->pf_spurious, s->shrinker_count, s->memfree_kb, s->secpt_kb);
	}
	fclose(f);

	f = open_out(r->outdir, "phases.csv");
	fprintf(f, "phase,start_ms,end_ms\n");
	for (p = 0; p < NR_PHASES; p++)
		fprintf(f, "%s,%.1f,%.1f\n", phase_name[p], r->start[p], r->end[p]);
	fclose(f);

	for (p = 0; p < NR_PHASES; p++) {
		struct stat_sample *a = &samples[r->first[p]];
		struct stat_sample *b = &samples[p + 1 < NR_PHASES ? r->first[p + 1] : r->last];
		uint64_t n = 0, sum = 0, mn = UINT64_MAX, mx = 0;

		for (i = 0; i < r->nr_logs; i++) {
			uint64_t nv = 0;

			for (k = 0; k < r->logs[i].nr_recs; k++) {
				struct iter_rec *rec = &r->logs[i].recs[k];

				if (rec->phase != (uint32_t)p)
					continue;
				nv++;
				sum += rec->lat_us;
				mn = rec->lat_us < mn ? rec->lat_us : mn;
				mx = rec->lat_us > mx ? rec->lat_us : mx;
			}
			n += nv;
			if (!nv)
				r->idle[p] = true;
		}
		r->iters[p] = n;
		pr_info("%s: %.1f s, %.1f iterations/vCPU, mean %.1f ms/iter (min %.1f, max %.1f), "
			"zapped +%lu, recycled +%lu, cache_miss +%lu, pf_taken +%lu, "
			"shrinker_count %lld -> %lld%s\n",
			phase_name[p], (r->end[p] - r->start[p]) / 1000.0,
			(double)n / r->nr_logs, n ? sum / 1000.0 / n : 0.0,
			n ? mn / 1000.0 : 0.0, n ? mx / 1000.0 : 0.0,
			b->zapped - a->zapped, b->recycled - a->recycled,
			b->cache_miss - a->cache_miss, b->pf_taken - a->pf_taken,
			a->shrinker_count, b->shrinker_count,
			r->idle[p] ? " (WARNING: a vCPU completed no iteration)" : "");
	}

	press_status_str(status, sizeof(status));
	if (r->cmd)
		pr_info("pressure command: %s%s, %s\n", status,
			press_early ? " (exited before the end of the phase)" : "",
			press_ok() ? "ok" : "FAILED");
	if (r->cmd && !press_ok())
		run_fail(r, "pressure command %s: %s; ",
			 press_early ? "died early" : "failed", status);
}

/* run.txt, up to the program's own keys: the kernel and KVM's mode. */
static inline FILE *run_txt_open(struct run *r, const char *prog)
{
	struct utsname uts;
	char buf[256];
	FILE *f;

	f = open_out(r->outdir, "run.txt");
	fprintf(f, "# %s run: key=value, see the program's top comment\n", prog);
	uname(&uts);
	fprintf(f, "kernel=%s\n", uts.release);
	read_param("/sys/module/kvm/parameters/tdp_mmu", buf, sizeof(buf));
	fprintf(f, "kvm.tdp_mmu=%s\n", buf);
	read_param("/sys/module/kvm_amd/parameters/npt", buf, sizeof(buf));
	fprintf(f, "kvm_amd.npt=%s\n", buf);
	read_param("/sys/module/kvm_intel/parameters/ept", buf, sizeof(buf));
	fprintf(f, "kvm_intel.ept=%s\n", buf);
	read_param("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		   buf, sizeof(buf));
	fprintf(f, "clocksource=%s\n", buf);
	return f;
}

/* The rest of run.txt: the phases, the pressure command, the iterations. */
static inline void run_txt_phases(struct run *r, FILE *f)
{
	char status[64];
	int i, p;
	size_t k;

	fprintf(f, "warmup_s=%g\nsteady_s=%g\npressure_s=%g\nrecovery_s=%g\ninterval_ms=%ld\n",
		r->dur[WARMUP], r->dur[STEADY], r->dur[PRESSURE], r->dur[RECOVERY],
		r->interval);
	press_status_str(status, sizeof(status));
	fprintf(f, "pressure_cmd=%s\n", r->cmd ? r->cmd : "");
	fprintf(f, "pressure_cmd_pid=%d\n", r->cmd ? press_pid : 0);
	fprintf(f, "pressure_cmd_start_ms=%.1f\npressure_cmd_term_ms=%.1f\n"
		"pressure_cmd_end_ms=%.1f\n", press_start_ms, press_term_ms, press_end_ms);
	fprintf(f, "pressure_cmd_status=%s\n", status);
	fprintf(f, "pressure_cmd_early=%s\npressure_cmd_killed=%s\npressure_cmd_ok=%s\n",
		press_early ? "yes" : "no", press_killed ? "yes" : "no",
		press_ok() ? "yes" : "no");
	for (i = 0; i < r->nr_logs; i++) {
		uint64_t per[NR_PHASES] = { 0 };

		for (k = 0; k < r->logs[i].nr_recs; k++)
			per[r->logs[i].recs[k].phase]++;
		fprintf(f, "iterations_vcpu%d=%lu\n", i, r->logs[i].last_iter);
		for (p = 0; p < NR_PHASES; p++)
			fprintf(f, "iterations_vcpu%d_%s=%lu\n", i, phase_name[p], per[p]);
	}
}

/* The result line of run.txt and stdout, and the exit status. */
static inline int run_result(struct run *r, FILE *f)
{
	bool fail = *r->fail_reason;

	fprintf(f, "result=%s%s%s\n", fail ? "fail" : "pass", fail ? ": " : "",
		r->fail_reason);
	fclose(f);
	if (fail) {
		pr_info("FAIL: %s\n", r->fail_reason);
		return KSFT_FAIL;
	}
	pr_info("PASS: results in %s\n", r->outdir);
	return KSFT_PASS;
}

#endif /* SELFTEST_KVM_RECLAIM_PHASES_H */
