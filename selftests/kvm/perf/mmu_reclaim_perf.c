// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_reclaim_perf: guest memory-access throughput and KVM MMU statistics
 * across four timed phases, with an optional memory-pressure command run
 * during the third one.  Used to measure what the x86-mmu shrinker (and
 * reclaim in general) costs a running guest.
 *
 * Phases, in order:
 *   warmup    at least -W seconds AND until every vCPU has finished its
 *             first pass (which writes every page: populate);
 *   steady    -S seconds, the baseline;
 *   pressure  -P seconds; the -p command runs during exactly this phase;
 *   recovery  -R seconds.
 *
 * Guest: vCPU i owns its own -b bytes at GVA 0xc0000000 + i * b.  One pass
 * ("iteration", numbered from 1) touches one 8-byte word group of every 4K
 * page of the pass's page set, then does GUEST_SYNC.  The page set is:
 *   - without -H: all pages of the vCPU;
 *   - with -H h:  pass k touches all pages if (k - 1) % C == 0 (C = -C,
 *                 default 8; so passes 1, 1+C, 1+2C, ...), and otherwise
 *                 only the hot set = the first max(1, pages * h / 100)
 *                 pages of the vCPU's memory.
 * Order (-a): seq = ascending; rand = every page of the set exactly once,
 * in the order (j * stride + offset) % n, stride coprime with n, offset
 * random per pass.  Pass 1 writes every page; later passes write a page
 * with probability -w percent and read it otherwise.  A write stores
 * w0 = gva ^ TAG_A, w2 = gva ^ iter ^ TAG_B, w1 = iter.  A read checks that
 * 1 <= w1 < iter, w0 == gva ^ TAG_A and w2 == gva ^ w1 ^ TAG_B, and counts
 * mismatches (reported to the host with each GUEST_SYNC).  At the end the
 * host checks the same words in every page of every vCPU.
 *
 * Host: one thread per vCPU loops on KVM_RUN; each GUEST_SYNC is one
 * iteration, timestamped with CLOCK_MONOTONIC.  lat_us is the time from
 * the previous iteration's end (or the start of the run) to this one's.
 * The main thread drives the phases and samples statistics every -i ms
 * (and once at the start of every phase and at the very end).
 *
 * Pressure command (-p): started with vfork + execl("/bin/sh", "-c", cmd) in
 * its own process group at the start of the pressure phase, with
 * MMU_PERF_PID set to this program's pid (also $PPID of that shell).  At
 * the end of the pressure phase its process group gets SIGTERM (SIGKILL 5 s
 * later if it is still there); it is reaped during recovery.  OK outcomes:
 * it was still running at the end of the phase and then exited 0 or died of
 * SIGTERM, or it finished early with exit status 0 (a one-shot command).
 * Anything else (early non-zero exit, early death by a signal, non-zero
 * exit after SIGTERM, SIGKILL needed) is a failure: reported in run.txt and
 * on stdout, and this program exits 1 at the end.
 *
 * Outputs in -o dir (default $RESULTS, else .):
 *   iter.csv    t_ms,vcpu,iter,phase,lat_us
 *               one row per completed iteration; t_ms = end of the
 *               iteration, ms since program start; phase = phase at t_ms.
 *               Iterations completed after the end of recovery are dropped.
 *   stats.csv   t_ms,phase,mmu_shadow_zapped,mmu_recycled,mmu_cache_miss,
 *               pages_4k,pf_taken,pf_fixed,pf_spurious,shrinker_count,
 *               memfree_kb,secpagetables_kb
 *               VM stats (KVM_GET_STATS_FD); pf_* summed over vCPUs;
 *               shrinker_count = sum of the per-node numbers in every
 *               /sys/kernel/debug/shrinker/x86-mmu-* /count (0 if empty,
 *               -1 if there is none); memfree/secpagetables from
 *               /proc/meminfo (-1 if missing).
 *   phases.csv  phase,start_ms,end_ms (four rows, in order).
 *   run.txt     key=value: parameters, kernel, clocksource (timestamps
 *               have jiffy resolution on a jiffies clocksource) and KVM
 *               module parameters,
 *               pressure command, its pid/start/end/status and whether that
 *               status is OK, iterations per vCPU per phase, guest/host
 *               verification error counts, memory_verified=ok|FAILED and
 *               result=pass|fail with the reason.
 * stdout: one line per phase (iterations/vCPU, mean/min/max ms per
 * iteration, deltas of the main stats) and a final result line.
 *
 * External guest (-x cmd): instead of its own VM, the program runs cmd (a
 * real guest OS: QEMU with -accel kvm, see scripts/realguest/) with
 * "sh -c 'exec cmd'" in its own process group at the start of warmup, so
 * that the VM's owner is the child's pid.  Its stdout and stderr (the
 * guest's serial console) go to guest.log; every line containing
 * "realguest: ops <n>", n = operations done since the workload started, is
 * a throughput report.  The first report is the baseline.  Each later
 * report is one row of iter.csv with vcpu 0, iter = n and lat_us = the host
 * time since the previous report divided by the operations done in
 * between: microseconds per guest operation (the whole interval if there
 * were none), so the phases' mean lat_us compare like passes do.  Warmup
 * lasts until -W seconds after the first report, which must come within -B
 * seconds (else a failure).  VM statistics come from
 * /sys/kernel/debug/kvm/<pid>-<fd>/ (vCPU stats such as pf_taken are summed
 * over the vCPUs there; all 0 until QEMU has created the VM).  After recovery
 * the process group gets SIGTERM (SIGKILL 5 s later).  Failures: the
 * command exits before the end of recovery, or the steady, pressure or
 * recovery phase has no report.  -v, -b, -a, -w, -H, -C, -n do not apply.
 * run.txt then has guest_cmd, guest_cmd_pid, guest_vm_debugfs,
 * guest_cmd_status, guest_cmd_early, guest_cmd_killed, guest_first_report,
 * boot_s and guest_reports_<phase> instead of the VM's shape,
 * iterations_vcpu0 counts the reports and memory_verified is n/a.
 *
 * Exit: 0 pass, 1 failure (bad arguments, not enough memory, memory
 * verification failed, pressure command failed, a vCPU made no progress in
 * the steady phase, an external guest failed), 4 (KSFT_SKIP) without KVM.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "test_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "reclaim_util.h"

#define TEST_MEM_SLOT		1
#define TEST_MEM_GVA		0xc0000000UL
#define TAG_A			0x6d6d7572636c6d41UL	/* "mmurclmA" */
#define TAG_B			0x6d6d7572636c6d42UL

#define DEFAULT_VCPUS		2
/*
 * 32M per vCPU: under TCG (one L1 CPU) a fully zapped 2 x 32M guest refaults
 * in about 5 s, so the default recovery phase shows the whole rebuild.
 */
#define DEFAULT_MEM		(32UL << 20)
#define DEFAULT_WRITE_PCT	50
#define DEFAULT_COLD_EVERY	8
#define DEFAULT_WARMUP		5.0
#define DEFAULT_STEADY		10.0
#define DEFAULT_PRESSURE	10.0
#define DEFAULT_RECOVERY	10.0
#define DEFAULT_INTERVAL_MS	250
#define KILL_GRACE_MS		5000
#define DEFAULT_BOOT_S		120
#define EXT_REPORT		"realguest: ops "

enum phase { WARMUP, STEADY, PRESSURE, RECOVERY, NR_PHASES };
static const char * const phase_name[NR_PHASES] = {
	"warmup", "steady", "pressure", "recovery",
};

/* Shared with the guest (synced before the vCPUs start). */
struct perf_vcpu_args {
	uint64_t gva;
	uint64_t pages;
	uint64_t hot_pages;
};

struct perf_args {
	uint32_t write_pct;
	uint32_t random;
	uint32_t hot_pct;	/* 0: no hot/cold mode */
	uint32_t cold_every;
	struct perf_vcpu_args vcpu[KVM_MAX_VCPUS];
};

static struct perf_args perf_args;

/* ---- guest ---------------------------------------------------------- */

static uint64_t guest_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static void guest_code(uint32_t idx)
{
	struct perf_vcpu_args *a = &perf_args.vcpu[idx];
	struct guest_random_state rs = new_guest_random_state(guest_random_seed + idx);
	uint64_t errors = 0, first_bad = 0, iter;

	for (iter = 1;; iter++) {
		bool all = !perf_args.hot_pct ||
			   (iter - 1) % perf_args.cold_every == 0;
		uint64_t n = all ? a->pages : a->hot_pages;
		uint64_t stride = 1, offset = 0, j;

		if (perf_args.random && n > 1) {
			/* Odd start near n * 0.618, bumped until coprime with n. */
			stride = (n * 618 / 1000) | 1;
			while (guest_gcd(stride, n) != 1)
				stride += 2;
			offset = guest_random_u32(&rs) % n;
		}
		for (j = 0; j < n; j++) {
			uint64_t page = perf_args.random ? (j * stride + offset) % n : j;
			uint64_t gva = a->gva + page * GUEST_PAGE;
			volatile uint64_t *p = (volatile uint64_t *)gva;

			if (iter == 1 ||
			    __guest_random_bool(&rs, perf_args.write_pct)) {
				p[0] = gva ^ TAG_A;
				p[2] = gva ^ iter ^ TAG_B;
				p[1] = iter;
			} else {
				uint64_t w1 = p[1];

				if (w1 < 1 || w1 >= iter || p[0] != (gva ^ TAG_A) ||
				    p[2] != (gva ^ w1 ^ TAG_B)) {
					if (!errors)
						first_bad = gva;
					errors++;
				}
			}
		}
		GUEST_SYNC4(iter, errors, first_bad, n);
	}
}

/* ---- host ----------------------------------------------------------- */

struct iter_rec {
	double t_ms;
	uint32_t iter;
	uint32_t phase;
	uint64_t lat_us;
};

struct vcpu_state {
	struct kvm_vcpu *vcpu;
	pthread_t thread;
	int idx;
	struct iter_rec *recs;
	size_t nr_recs, cap_recs;
	uint64_t last_iter;		/* last completed iteration */
	uint64_t guest_errors;
	uint64_t guest_first_bad;
	bool done;
	/* stats fd cache */
	int stats_fd;
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;
};

struct stat_sample {
	double t_ms;
	int phase;
	uint64_t zapped, recycled, cache_miss, pages_4k;
	uint64_t pf_taken, pf_fixed, pf_spurious;
	long long shrinker_count, memfree_kb, secpt_kb;
};

static struct timespec t0;
static struct vcpu_state *vcpus;
static int nr_vcpus = DEFAULT_VCPUS;
static volatile int cur_phase = WARMUP;
static volatile bool go, stop;
static double end_ms = 1e300;	/* records after this are dropped */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - t0.tv_sec) * 1e3 + (ts.tv_nsec - t0.tv_nsec) / 1e6;
}

static void kick_handler(int sig)
{
	(void)sig;
}

/* One row of iter.csv; those after the end of recovery are dropped. */
static void add_rec(struct vcpu_state *vs, double t, uint64_t iter, double lat_ms)
{
	if (t > end_ms)
		return;
	if (vs->nr_recs == vs->cap_recs) {
		vs->cap_recs = vs->cap_recs ? 2 * vs->cap_recs : 1024;
		vs->recs = realloc(vs->recs, vs->cap_recs * sizeof(*vs->recs));
		TEST_ASSERT(vs->recs, "out of memory for iteration records");
	}
	vs->recs[vs->nr_recs++] = (struct iter_rec){
		.t_ms = t, .iter = iter, .phase = READ_ONCE(cur_phase),
		.lat_us = (uint64_t)(lat_ms * 1000.0 + 0.5),
	};
}

static void *vcpu_thread(void *data)
{
	struct vcpu_state *vs = data;
	struct kvm_vcpu *vcpu = vs->vcpu;
	double prev;
	struct ucall uc;
	int r;

	while (!READ_ONCE(go))
		;
	prev = now_ms();
	while (!READ_ONCE(stop)) {
		r = __vcpu_run(vcpu);
		if (r == -1 && errno == EINTR)
			continue;	/* kicked: re-check stop */
		TEST_ASSERT(!r, KVM_IOCTL_ERROR(KVM_RUN, r));
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC: {
			double t = now_ms();

			vs->guest_errors = uc.args[1];
			if (uc.args[1] && !vs->guest_first_bad)
				vs->guest_first_bad = uc.args[2];
			WRITE_ONCE(vs->last_iter, uc.args[0]);
			add_rec(vs, t, uc.args[0], t - prev);
			prev = t;
			break;
		}
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("vCPU %d: unexpected exit %s, ucall %lu", vs->idx,
				  exit_reason_str(vcpu->run->exit_reason), uc.cmd);
		}
	}
	WRITE_ONCE(vs->done, true);
	return NULL;
}

/* vCPU statistics: cache the descriptors once per vCPU. */
static uint64_t vcpu_stat(struct vcpu_state *vs, const char *name)
{
	size_t size_desc;
	uint64_t data = 0;
	uint32_t i;

	if (!vs->desc) {
		vs->stats_fd = vcpu_get_stats_fd(vs->vcpu);
		read_stats_header(vs->stats_fd, &vs->hdr);
		vs->desc = read_stats_descriptors(vs->stats_fd, &vs->hdr);
	}
	size_desc = get_stats_descriptor_size(&vs->hdr);
	for (i = 0; i < vs->hdr.num_desc; i++) {
		struct kvm_stats_desc *d = (void *)vs->desc + i * size_desc;

		if (!strcmp(d->name, name)) {
			read_stat_data(vs->stats_fd, &vs->hdr, d, &data, 1);
			return data;
		}
	}
	TEST_FAIL("no vCPU stat '%s'", name);
	return 0;
}

/* Sum of the numbers after the memcg ino on every line of every count file. */
static long long shrinker_count(void)
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

/* ---- child commands (pressure, external guest) ---------------------- */

/*
 * Run "sh -c cmd" in a process group of its own, which gets SIGTERM if we
 * die.  With out >= 0 its stdout and stderr go there and stdin is
 * /dev/null.  vfork, not fork: fork() would write-protect all of this
 * process's anonymous memory for copy-on-write, and the MMU notifier would
 * then zap every KVM mapping of guest memory, a pressure of its own.  The
 * child only makes raw system calls before execl().
 */
static pid_t spawn_group(const char *cmd, int out)
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
static int reap_group(pid_t pid, double term_ms, bool *killed)
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

/* ---- external guest (-x) -------------------------------------------- */

static const char *ext_cmd;
static pid_t ext_pid;
static pthread_t ext_thread;
static FILE *ext_log;
static volatile bool ext_gone;		/* its output ended: it exited */
static bool ext_early, ext_killed, ext_noreport;
static int ext_status;
static char *ext_vm;			/* its VM's debugfs directory */
static volatile double ext_first_ms = -1;	/* time of the first report */

/* Copies the console to guest.log and turns reports into iterations. */
static void *ext_reader(void *data)
{
	struct vcpu_state *vs = &vcpus[0];
	uint64_t ops, prev_ops = 0;
	double t, prev = -1;
	char line[4096], *p;

	while (fgets(line, sizeof(line), data)) {
		t = now_ms();
		fputs(line, ext_log);
		p = strstr(line, EXT_REPORT);
		if (!p)
			continue;
		ops = strtoull(p + strlen(EXT_REPORT), NULL, 10);
		/* A count that went back is a garbled line: keep the baseline. */
		if (prev >= 0 && ops < prev_ops)
			continue;
		if (prev >= 0)
			add_rec(vs, t, ops, (t - prev) / (ops > prev_ops ? ops - prev_ops : 1));
		else
			WRITE_ONCE(ext_first_ms, t);
		prev = t;
		prev_ops = ops;
		WRITE_ONCE(vs->last_iter, vs->last_iter + 1);
	}
	fflush(ext_log);
	WRITE_ONCE(ext_gone, true);
	return NULL;
}

static void ext_start(FILE *log)
{
	FILE *in;
	char *sh;
	int fd[2];

	ext_log = log;
	/* The guest keeps only the dup2()ed write end. */
	TEST_ASSERT(!pipe2(fd, O_CLOEXEC), "pipe for the external guest failed");
	TEST_ASSERT(asprintf(&sh, "exec %s", ext_cmd) > 0, "out of memory");
	ext_pid = spawn_group(sh, fd[1]);
	close(fd[1]);
	free(sh);
	in = fdopen(fd[0], "r");
	TEST_ASSERT(in, "fdopen of the external guest's output failed");
	pthread_create(&ext_thread, NULL, ext_reader, in);
}

/* After recovery: SIGTERM to its group, SIGKILL after the grace. */
static void ext_stop(void)
{
	double t = now_ms();

	ext_early = READ_ONCE(ext_gone);
	kill(-ext_pid, SIGTERM);
	ext_status = reap_group(ext_pid, t, &ext_killed);
	pthread_join(ext_thread, NULL);
	fclose(ext_log);
}

static uint64_t ext_stat(const char *dir, const char *name)
{
	unsigned long long v = 0;
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
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
static void ext_sample(struct stat_sample *s)
{
	char pat[PATH_MAX];
	glob_t g;

	if (!ext_vm) {
		snprintf(pat, sizeof(pat), "/sys/kernel/debug/kvm/%d-*/vcpu0", ext_pid);
		if (glob(pat, 0, NULL, &g))
			return;
		ext_vm = strdup(g.gl_pathv[g.gl_pathc - 1]);
		TEST_ASSERT(ext_vm, "out of memory");
		*strrchr(ext_vm, '/') = 0;
		globfree(&g);
	}
	s->zapped = ext_stat(ext_vm, "mmu_shadow_zapped");
	s->recycled = ext_stat(ext_vm, "mmu_recycled");
	s->cache_miss = ext_stat(ext_vm, "mmu_cache_miss");
	s->pages_4k = ext_stat(ext_vm, "pages_4k");
	/* vCPU stats are there too, summed over the vCPUs by KVM. */
	s->pf_taken = ext_stat(ext_vm, "pf_taken");
	s->pf_fixed = ext_stat(ext_vm, "pf_fixed");
	s->pf_spurious = ext_stat(ext_vm, "pf_spurious");
}

static void take_sample(struct kvm_vm *vm, struct stat_sample *s, int phase)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->t_ms = now_ms();
	s->phase = phase;
	s->shrinker_count = shrinker_count();
	s->memfree_kb = meminfo_kb("MemFree");
	s->secpt_kb = meminfo_kb("SecPageTables");
	if (ext_cmd) {
		ext_sample(s);
		return;
	}
	s->zapped = vm_get_stat(vm, "mmu_shadow_zapped");
	s->recycled = vm_get_stat(vm, "mmu_recycled");
	s->cache_miss = vm_get_stat(vm, "mmu_cache_miss");
	s->pages_4k = vm_get_stat(vm, "pages_4k");
	for (i = 0; i < nr_vcpus; i++) {
		s->pf_taken += vcpu_stat(&vcpus[i], "pf_taken");
		s->pf_fixed += vcpu_stat(&vcpus[i], "pf_fixed");
		s->pf_spurious += vcpu_stat(&vcpus[i], "pf_spurious");
	}
}

/* Growable array of samples: keep indices, a realloc() moves it. */
static struct stat_sample *samples;
static size_t nr_samples, cap_samples;

static size_t sample(struct kvm_vm *vm, int phase)
{
	if (nr_samples == cap_samples) {
		cap_samples = cap_samples ? 2 * cap_samples : 1024;
		samples = realloc(samples, cap_samples * sizeof(*samples));
		TEST_ASSERT(samples, "out of memory for samples");
	}
	take_sample(vm, &samples[nr_samples], phase);
	return nr_samples++;
}

/* ---- pressure command ----------------------------------------------- */

static pid_t press_pid;
static double press_start_ms = -1, press_end_ms = -1, press_term_ms = -1;
static int press_status = -1;
static bool press_early, press_killed;

static void press_start(const char *cmd)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	setenv("MMU_PERF_PID", pid, 1);
	press_pid = spawn_group(cmd, -1);
	press_start_ms = now_ms();
}

/* Non-blocking reap; true once the command is gone. */
static bool press_reap(void)
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

static void press_stop(void)
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
static void press_poll(bool final)
{
	if (!press_pid || press_reap())
		return;
	if (press_term_ms >= 0 && (final || now_ms() - press_term_ms > KILL_GRACE_MS)) {
		press_status = reap_group(press_pid, press_term_ms, &press_killed);
		press_end_ms = now_ms();
	}
}

static void wait_status_str(int st, char *buf, size_t len)
{
	if (WIFEXITED(st))
		snprintf(buf, len, "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(buf, len, "status 0x%x", st);
}

static void press_status_str(char *buf, size_t len)
{
	if (!press_pid)
		snprintf(buf, len, "none");
	else if (press_end_ms < 0)
		snprintf(buf, len, "running");
	else
		wait_status_str(press_status, buf, len);
}

static bool press_ok(void)
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

/* ---- arguments ------------------------------------------------------ */

static void help(const char *name)
{
	printf("usage: %s [-h] [-v vcpus] [-b bytes] [-a seq|rand] [-w write_pct]\n"
	       "          [-H hot_pct [-C N]] [-n nr_mmu_pages] [-W s] [-S s] [-P s] [-R s]\n"
	       "          [-p 'pressure command'] [-i interval_ms] [-o dir]\n"
	       "       %s -x 'guest command' [-B s] [-W s] [-S s] [-P s] [-R s]\n"
	       "          [-p 'pressure command'] [-i interval_ms] [-o dir]\n", name, name);
	printf(" -v: vCPUs, each with its own memory. Default: %d\n", DEFAULT_VCPUS);
	printf(" -b: guest memory per vCPU, e.g. 64M or 1G. Default: 32M\n");
	printf(" -a: access order within a pass: seq (ascending) or rand (every\n"
	       "     page once, scrambled, new order every pass). Default: seq\n");
	printf(" -w: percent of page touches that write (0-100); the first pass\n"
	       "     always writes every page. Default: %d\n", DEFAULT_WRITE_PCT);
	printf(" -H: hot/cold mode: the hot set is the first hot_pct %% (1-100) of\n"
	       "     each vCPU's memory and is touched every pass; the rest only in\n"
	       "     passes 1, 1+N, 1+2N, ... Default: off\n");
	printf(" -C: N for -H. Default: %d\n", DEFAULT_COLD_EVERY);
	printf(" -n: KVM_SET_NR_MMU_PAGES limit (>= 64) set before the run.\n"
	       "     Default: KVM's automatic sizing\n");
	printf(" -W: warmup seconds (at least until each vCPU's first pass is\n"
	       "     done). Default: %.0f\n", DEFAULT_WARMUP);
	printf(" -S: steady seconds. Default: %.0f\n", DEFAULT_STEADY);
	printf(" -P: pressure seconds. Default: %.0f\n", DEFAULT_PRESSURE);
	printf(" -R: recovery seconds. Default: %.0f\n", DEFAULT_RECOVERY);
	printf(" -p: shell command run (sh -c, own process group, MMU_PERF_PID set)\n"
	       "     during the pressure phase; SIGTERM at its end. Default: none\n");
	printf(" -i: statistics sampling interval in ms (>= 10). Default: %d\n",
	       DEFAULT_INTERVAL_MS);
	printf(" -o: output directory for iter.csv, stats.csv, phases.csv, run.txt.\n"
	       "     Default: $RESULTS, else .\n");
	printf(" -x: measure an external guest instead (QEMU with KVM, printing\n"
	       "     \"" EXT_REPORT "<n>\" lines): see the program's top comment\n");
	printf(" -B: with -x, seconds to wait for the first report. Default: %d\n",
	       DEFAULT_BOOT_S);
	printf("Exit: 0 pass, 1 failure, 4 skip (no KVM).\n");
}

static double parse_secs(const char *name, const char *opt, const char *s)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (errno || e == s || *e || !(v >= 0) || v > 86400) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s: '%%s' is not a number of seconds in [0, 86400]", opt);
		usage_error(name, msg, s);
	}
	return v;
}

/* ---- main ----------------------------------------------------------- */

static FILE *open_out(const char *dir, const char *file)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	TEST_ASSERT(f, "cannot write %s", path);
	return f;
}

int main(int argc, char *argv[])
{
	const char *name = argv[0], *outdir = getenv("RESULTS"), *cmd = NULL;
	uint64_t bytes = DEFAULT_MEM, pages, vm_pages, gpa, total_errors_host = 0;
	double dur[NR_PHASES] = { DEFAULT_WARMUP, DEFAULT_STEADY, DEFAULT_PRESSURE,
				  DEFAULT_RECOVERY };
	double ph_start[NR_PHASES], ph_end[NR_PHASES];
	size_t ph_first[NR_PHASES], last;
	long write_pct = DEFAULT_WRITE_PCT, hot_pct = 0, cold_every = DEFAULT_COLD_EVERY;
	long nr_mmu_pages = 0, interval = DEFAULT_INTERVAL_MS, boot_s = DEFAULT_BOOT_S;
	bool random = false, fail = false, no_progress = false;
	char fail_reason[512] = "", status[64], buf[256];
	struct kvm_vcpu **vcpu_arr;
	struct kvm_vm *vm = NULL;
	uint64_t reports[NR_PHASES] = { 0 };
	struct sigaction sa;
	struct utsname uts;
	long long avail_kb;
	struct stat st;
	FILE *f;
	int opt, i, p;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!outdir || !*outdir)
		outdir = ".";

	while ((opt = getopt(argc, argv, "hv:b:a:w:H:C:n:W:S:P:R:p:i:o:x:B:")) != -1) {
		switch (opt) {
		case 'v':
			nr_vcpus = parse_long(name, "-v", optarg, 1, KVM_MAX_VCPUS);
			break;
		case 'b':
			bytes = parse_bytes(name, optarg, 0);
			break;
		case 'a':
			if (!strcmp(optarg, "seq"))
				random = false;
			else if (!strcmp(optarg, "rand"))
				random = true;
			else
				usage_error(name, "-a: '%s' is not seq or rand", optarg);
			break;
		case 'w':
			write_pct = parse_long(name, "-w", optarg, 0, 100);
			break;
		case 'H':
			hot_pct = parse_long(name, "-H", optarg, 1, 100);
			break;
		case 'C':
			cold_every = parse_long(name, "-C", optarg, 1, 1000000);
			break;
		case 'n':
			nr_mmu_pages = parse_long(name, "-n", optarg, 64, LONG_MAX);
			break;
		case 'W':
			dur[WARMUP] = parse_secs(name, "-W", optarg);
			break;
		case 'S':
			dur[STEADY] = parse_secs(name, "-S", optarg);
			break;
		case 'P':
			dur[PRESSURE] = parse_secs(name, "-P", optarg);
			break;
		case 'R':
			dur[RECOVERY] = parse_secs(name, "-R", optarg);
			break;
		case 'p':
			cmd = optarg;
			break;
		case 'i':
			interval = parse_long(name, "-i", optarg, 10, 3600000);
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'x':
			ext_cmd = optarg;
			break;
		case 'B':
			boot_s = parse_long(name, "-B", optarg, 1, 86400);
			break;
		default:
			help_or_usage(name, opt);
		}
	}
	no_operands(name, argc, argv);
	mkdir(outdir, 0755);
	if (stat(outdir, &st) || !S_ISDIR(st.st_mode))
		usage_error(name, "-o: '%s' is not a directory", outdir);
	if (dur[STEADY] <= 0)
		usage_error(name, "-S: '%s': the steady phase needs a duration > 0",
			    "0");

	if (ext_cmd) {
		nr_vcpus = 1;
		bytes = 0;
	}
	pages = bytes / GUEST_PAGE;
	avail_kb = meminfo_kb("MemAvailable");
	if (avail_kb < 0)
		avail_kb = meminfo_kb("MemFree");
	if (avail_kb >= 0 && (nr_vcpus * bytes) / 1024 > (uint64_t)avail_kb) {
		fprintf(stderr, "%s: %d vCPUs x %lu MiB = %lu MiB of guest memory is more "
			"than MemAvailable (%lld MiB)\n", name, nr_vcpus, bytes >> 20,
			(nr_vcpus * bytes) >> 20, avail_kb >> 10);
		exit(KSFT_FAIL);
	}

	/* Skips (exit 4) when /dev/kvm is missing; an external guest fails. */
	if (!ext_cmd)
		close(open_kvm_dev_path_or_exit());

	vcpu_arr = calloc(nr_vcpus, sizeof(*vcpu_arr));
	vcpus = calloc(nr_vcpus, sizeof(*vcpus));
	TEST_ASSERT(vcpu_arr && vcpus, "out of memory");
	if (ext_cmd)
		goto setup_done;

	/* VM: test memory at the top of the guest physical address space. */
	vm_pages = pages * nr_vcpus;
	vm = __vm_create_with_vcpus(VM_SHAPE_DEFAULT, nr_vcpus, vm_pages, guest_code,
				    vcpu_arr);
	TEST_ASSERT(vm_pages < vm->max_gfn, "guest memory too large for the guest address space");
	gpa = (vm->max_gfn - vm_pages) * GUEST_PAGE;
	gpa = align_down(gpa, 2UL << 20);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, gpa, TEST_MEM_SLOT,
				    vm_pages, 0);
	virt_map(vm, TEST_MEM_GVA, gpa, vm_pages);

	perf_args.write_pct = write_pct;
	perf_args.random = random;
	perf_args.hot_pct = hot_pct;
	perf_args.cold_every = cold_every;
	for (i = 0; i < nr_vcpus; i++) {
		perf_args.vcpu[i].gva = TEST_MEM_GVA + i * bytes;
		perf_args.vcpu[i].pages = pages;
		perf_args.vcpu[i].hot_pages = hot_pct ? pages * hot_pct / 100 : pages;
		if (!perf_args.vcpu[i].hot_pages)
			perf_args.vcpu[i].hot_pages = 1;
		vcpu_args_set(vcpu_arr[i], 1, i);
		vcpus[i].vcpu = vcpu_arr[i];
		vcpus[i].idx = i;
	}
	sync_global_to_guest(vm, perf_args);

	if (nr_mmu_pages)
		vm_ioctl(vm, KVM_SET_NR_MMU_PAGES, (void *)nr_mmu_pages);
setup_done:

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);

	read_param("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		   buf, sizeof(buf));
	if (strstr(buf, "jiffies"))
		pr_info("WARNING: clocksource %s: timestamps and latencies have jiffy "
			"resolution (4 ms at HZ=250); boot with tsc=reliable\n", buf);
	if (ext_cmd)
		pr_info("mmu_reclaim_perf: external guest: %s", ext_cmd);
	else
		pr_info("mmu_reclaim_perf: %d vCPUs x %lu MiB, %s, %ld%% writes", nr_vcpus,
			bytes >> 20, random ? "rand" : "seq", write_pct);
	if (hot_pct)
		pr_info(", hot %ld%% (%lu pages) every pass, cold every %ld passes",
			hot_pct, perf_args.vcpu[0].hot_pages, cold_every);
	if (nr_mmu_pages)
		pr_info(", nr_mmu_pages %ld", nr_mmu_pages);
	pr_info("\n");

	for (i = 0; i < nr_vcpus && !ext_cmd; i++)
		pthread_create(&vcpus[i].thread, NULL, vcpu_thread, &vcpus[i]);

	/* Phases. */
	for (p = 0; p < NR_PHASES; p++) {
		double end, next;

		WRITE_ONCE(cur_phase, p);
		ph_start[p] = now_ms();
		/* An external guest that is gone or never reported: no phases. */
		bool ext_dead = ext_cmd && (READ_ONCE(ext_gone) || ext_noreport);

		if (p == WARMUP && ext_cmd)
			ext_start(open_out(outdir, "guest.log"));
		if (p == WARMUP)
			WRITE_ONCE(go, true);
		/*
		 * Before the pressure command: this sample also ends the steady
		 * window, which must not see the command's first effects.
		 */
		ph_first[p] = sample(vm, p);
		if (p == PRESSURE && cmd && !ext_dead)
			press_start(cmd);
		end = ph_start[p] + (ext_dead ? 0 : dur[p] * 1000.0);
		next = ph_start[p] + interval;
		for (;;) {
			double t = now_ms();
			bool more = t < end;

			if (p == WARMUP && !more) {
				for (i = 0; i < nr_vcpus; i++)
					if (READ_ONCE(vcpus[i].last_iter) < 1)
						more = true;
			}
			/* The guest's workload warms up for -W s after its start. */
			if (ext_cmd && p == WARMUP)
				more = READ_ONCE(ext_first_ms) < 0 ||
				       t < READ_ONCE(ext_first_ms) + dur[WARMUP] * 1000.0;
			if (ext_cmd && READ_ONCE(ext_gone))
				more = false;
			if (ext_cmd && p == WARMUP && READ_ONCE(ext_first_ms) < 0 &&
			    t - ph_start[p] > boot_s * 1000.0) {
				ext_noreport = true;
				more = false;
			}
			if (!more)
				break;
			if (p == RECOVERY)
				press_poll(false);
			/* Past the end (warmup waiting for pass 1): sample only. */
			sleep_ms((next < end || t >= end ? next : end) - t);
			if (now_ms() >= next) {
				sample(vm, p);
				next += interval;
				/* Late (a stalled main thread): skip missed ticks. */
				if (next <= now_ms())
					next = now_ms() + interval;
			}
		}
		ph_end[p] = now_ms();
		if (p == PRESSURE)
			press_stop();
	}
	end_ms = ph_end[RECOVERY];
	last = sample(vm, RECOVERY);

	/* Stop the vCPUs: kick them out of KVM_RUN until they notice. */
	WRITE_ONCE(stop, true);
	if (ext_cmd)
		ext_stop();
	for (i = 0; i < nr_vcpus && !ext_cmd; i++) {
		while (!READ_ONCE(vcpus[i].done)) {
			pthread_kill(vcpus[i].thread, SIGUSR1);
			sleep_ms(1);
		}
		pthread_join(vcpus[i].thread, NULL);
	}
	press_poll(true);

	/* Host-side check of every page's words. */
	for (i = 0; i < nr_vcpus && !ext_cmd; i++) {
		uint64_t j, last_it = vcpus[i].last_iter, bad = 0;

		for (j = 0; j < pages; j++) {
			uint64_t gva = perf_args.vcpu[i].gva + j * GUEST_PAGE;
			uint64_t *w = addr_gva2hva(vm, gva);

			/*
			 * The interrupted pass (last_it + 1) may have written,
			 * and the vCPU may have been stopped between its
			 * stores of w2 and w1: a torn page of that pass.
			 */
			if (w[1] <= last_it && w[0] == (gva ^ TAG_A) &&
			    w[2] == (gva ^ (last_it + 1) ^ TAG_B))
				continue;
			if ((last_it >= 1 && w[1] < 1) || w[1] > last_it + 1 ||
			    (w[1] && (w[0] != (gva ^ TAG_A) ||
				      w[2] != (gva ^ w[1] ^ TAG_B))))
				bad++;
		}
		if (bad)
			pr_info("vCPU %d: host check found %lu bad pages\n", i, bad);
		total_errors_host += bad;
	}

	/* Outputs. */
	f = open_out(outdir, "iter.csv");
	fprintf(f, "t_ms,vcpu,iter,phase,lat_us\n");
	for (i = 0; i < nr_vcpus; i++) {
		size_t k;

		for (k = 0; k < vcpus[i].nr_recs; k++) {
			struct iter_rec *r = &vcpus[i].recs[k];

			fprintf(f, "%.1f,%d,%u,%s,%lu\n", r->t_ms, i, r->iter,
				phase_name[r->phase], r->lat_us);
		}
	}
	fclose(f);

	f = open_out(outdir, "stats.csv");
	fprintf(f, "t_ms,phase,mmu_shadow_zapped,mmu_recycled,mmu_cache_miss,pages_4k,"
		"pf_taken,pf_fixed,pf_spurious,shrinker_count,memfree_kb,secpagetables_kb\n");
	for (size_t k = 0; k < nr_samples; k++) {
		struct stat_sample *s = &samples[k];

		fprintf(f, "%.1f,%s,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lld,%lld,%lld\n",
			s->t_ms, phase_name[s->phase], s->zapped, s->recycled,
			s->cache_miss, s->pages_4k, s->pf_taken, s->pf_fixed,
			s->pf_spurious, s->shrinker_count, s->memfree_kb, s->secpt_kb);
	}
	fclose(f);

	f = open_out(outdir, "phases.csv");
	fprintf(f, "phase,start_ms,end_ms\n");
	for (p = 0; p < NR_PHASES; p++)
		fprintf(f, "%s,%.1f,%.1f\n", phase_name[p], ph_start[p], ph_end[p]);
	fclose(f);

	/* Per-phase summary on stdout. */
	for (p = 0; p < NR_PHASES; p++) {
		struct stat_sample *a = &samples[ph_first[p]];
		struct stat_sample *b = &samples[p + 1 < NR_PHASES ? ph_first[p + 1] : last];
		uint64_t n = 0, sum = 0, mn = UINT64_MAX, mx = 0;
		int idle = 0;

		for (i = 0; i < nr_vcpus; i++) {
			uint64_t nv = 0;
			size_t k;

			for (k = 0; k < vcpus[i].nr_recs; k++) {
				struct iter_rec *r = &vcpus[i].recs[k];

				if (r->phase != (uint32_t)p)
					continue;
				nv++;
				sum += r->lat_us;
				mn = r->lat_us < mn ? r->lat_us : mn;
				mx = r->lat_us > mx ? r->lat_us : mx;
			}
			n += nv;
			if (!nv)
				idle++;
		}
		reports[p] = n;
		if (idle && p == STEADY)
			no_progress = true;
		pr_info("%s: %.1f s, %.1f iterations/vCPU, mean %.1f ms/iter (min %.1f, max %.1f), "
			"zapped +%lu, recycled +%lu, cache_miss +%lu, pf_taken +%lu, "
			"shrinker_count %lld -> %lld%s\n",
			phase_name[p], (ph_end[p] - ph_start[p]) / 1000.0,
			(double)n / nr_vcpus, n ? sum / 1000.0 / n : 0.0,
			n ? mn / 1000.0 : 0.0, n ? mx / 1000.0 : 0.0,
			b->zapped - a->zapped, b->recycled - a->recycled,
			b->cache_miss - a->cache_miss, b->pf_taken - a->pf_taken,
			a->shrinker_count, b->shrinker_count,
			idle ? " (WARNING: a vCPU completed no iteration)" : "");
	}

	press_status_str(status, sizeof(status));
	if (cmd)
		pr_info("pressure command: %s%s, %s\n", status,
			press_early ? " (exited before the end of the phase)" : "",
			press_ok() ? "ok" : "FAILED");
	if (cmd && !press_ok()) {
		fail = true;
		snprintf(fail_reason + strlen(fail_reason),
			 sizeof(fail_reason) - strlen(fail_reason),
			 "pressure command %s: %s; ",
			 press_early ? "died early" : "failed", status);
	}
	{
		uint64_t ge = 0;

		for (i = 0; i < nr_vcpus; i++)
			ge += vcpus[i].guest_errors;
		if (ge || total_errors_host) {
			fail = true;
			snprintf(fail_reason + strlen(fail_reason),
				 sizeof(fail_reason) - strlen(fail_reason),
				 "guest memory verification failed (guest %lu, host %lu); ",
				 ge, total_errors_host);
		}
	}
	if (ext_cmd) {
		char st_buf[64];

		wait_status_str(ext_status, st_buf, sizeof(st_buf));
		pr_info("external guest: %s%s%s\n", st_buf,
			ext_early ? " (exited before the end of recovery)" : "",
			ext_killed ? " (needed SIGKILL)" : "");
		if (ext_noreport || ext_early)
			snprintf(fail_reason + strlen(fail_reason),
				 sizeof(fail_reason) - strlen(fail_reason),
				 "external guest %s (%s), see guest.log; ",
				 ext_noreport ? "printed no report within -B" :
				 "exited before the end of recovery", st_buf);
		for (p = STEADY; p < NR_PHASES; p++)
			if (!reports[p])
				snprintf(fail_reason + strlen(fail_reason),
					 sizeof(fail_reason) - strlen(fail_reason),
					 "invalid run: no report in the %s phase; ",
					 phase_name[p]);
		fail = fail || *fail_reason;
		no_progress = false;
	}
	if (no_progress) {
		fail = true;
		snprintf(fail_reason + strlen(fail_reason),
			 sizeof(fail_reason) - strlen(fail_reason),
			 "a vCPU completed no iteration in the steady phase (lengthen -S or shrink -b); ");
	}

	f = open_out(outdir, "run.txt");
	fprintf(f, "# mmu_reclaim_perf run: key=value, see the program's top comment\n");
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
	if (ext_cmd) {
		wait_status_str(ext_status, buf, sizeof(buf));
		fprintf(f, "guest_cmd=%s\nguest_cmd_pid=%d\nguest_vm_debugfs=%s\n"
			"guest_cmd_status=%s\nguest_cmd_early=%s\nguest_cmd_killed=%s\n"
			"guest_first_report=%s\nboot_s=%ld\n", ext_cmd, ext_pid,
			ext_vm ? ext_vm : "none", buf, ext_early ? "yes" : "no",
			ext_killed ? "yes" : "no", ext_noreport ? "no" : "yes", boot_s);
		for (p = 0; p < NR_PHASES; p++)
			fprintf(f, "guest_reports_%s=%lu\n", phase_name[p], reports[p]);
	} else {
		fprintf(f, "vcpus=%d\nbytes_per_vcpu=%lu\npages_per_vcpu=%lu\n", nr_vcpus,
			bytes, pages);
		fprintf(f, "access=%s\nwrite_pct=%ld\nhot_pct=%ld\nhot_pages_per_vcpu=%lu\n"
			"cold_every=%ld\n", random ? "rand" : "seq", write_pct, hot_pct,
			perf_args.vcpu[0].hot_pages, cold_every);
		if (nr_mmu_pages)
			fprintf(f, "nr_mmu_pages=%ld\n", nr_mmu_pages);
		else
			fprintf(f, "nr_mmu_pages=auto\n");
	}
	fprintf(f, "warmup_s=%g\nsteady_s=%g\npressure_s=%g\nrecovery_s=%g\ninterval_ms=%ld\n",
		dur[WARMUP], dur[STEADY], dur[PRESSURE], dur[RECOVERY], interval);
	fprintf(f, "random_seed=0x%x\n", guest_random_seed);
	fprintf(f, "pressure_cmd=%s\n", cmd ? cmd : "");
	fprintf(f, "pressure_cmd_pid=%d\n", cmd ? press_pid : 0);
	fprintf(f, "pressure_cmd_start_ms=%.1f\npressure_cmd_term_ms=%.1f\n"
		"pressure_cmd_end_ms=%.1f\n", press_start_ms, press_term_ms, press_end_ms);
	fprintf(f, "pressure_cmd_status=%s\n", status);
	fprintf(f, "pressure_cmd_early=%s\npressure_cmd_killed=%s\npressure_cmd_ok=%s\n",
		press_early ? "yes" : "no", press_killed ? "yes" : "no",
		press_ok() ? "yes" : "no");
	for (i = 0; i < nr_vcpus; i++) {
		uint64_t per[NR_PHASES] = { 0 };
		size_t k;

		for (k = 0; k < vcpus[i].nr_recs; k++)
			per[vcpus[i].recs[k].phase]++;
		fprintf(f, "iterations_vcpu%d=%lu\n", i, vcpus[i].last_iter);
		for (p = 0; p < NR_PHASES; p++)
			fprintf(f, "iterations_vcpu%d_%s=%lu\n", i, phase_name[p], per[p]);
		fprintf(f, "guest_verify_errors_vcpu%d=%lu\n", i, vcpus[i].guest_errors);
		if (vcpus[i].guest_errors)
			fprintf(f, "guest_first_bad_gva_vcpu%d=0x%lx\n", i,
				vcpus[i].guest_first_bad);
	}
	fprintf(f, "host_verify_errors=%lu\n", total_errors_host);
	fprintf(f, "memory_verified=%s\n", ext_cmd ? "n/a" :
		strstr(fail_reason, "verification") ? "FAILED" : "ok");
	fprintf(f, "result=%s%s%s\n", fail ? "fail" : "pass", fail ? ": " : "", fail_reason);
	fclose(f);

	if (vm)
		kvm_vm_free(vm);
	if (fail) {
		pr_info("FAIL: %s\n", fail_reason);
		return KSFT_FAIL;
	}
	pr_info("PASS: results in %s\n", outdir);
	return KSFT_PASS;
}
