// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_reclaim_stress: run everything that touches the x86 KVM MMU's shadow
 * page lists and per-vCPU memory caches at once, for -d seconds, to shake
 * out races and deadlocks between the MMU shrinker, the LRU of
 * active_mmu_pages, kvm_zap_obsolete_pages() and
 * kvm_mmu_zap_oldest_mmu_pages().  Meant for shadow paging
 * (kvm_amd.npt=0 / kvm_intel.ept=0) or the legacy TDP MMU (kvm.tdp_mmu=0),
 * also under TCG with one CPU: the defaults are small.
 *
 * Activities, each in its own thread(s):
 *   workers   -n VMs x -v vCPUs; vCPU i owns -b bytes at GVA
 *             0xc0000000 + i * stride in its own memslot (10 + i).  Pass k
 *             checks the words pass k - 1 left in every page (pass 1 only
 *             writes), then writes pass k's; then it does the same with its
 *             own word of each page of the VM's sparse set (one page per
 *             2 MiB of a 256 MiB memslot: 128 page tables, so the VM needs
 *             more shadow pages than the smallest page limit, 64);
 *             GUEST_SYNC(pass, mismatches, first bad gva) after each pass.
 *             At the end the host checks every page of the vCPU's own memory
 *             too.  These memslots are never moved or deleted.
 *   scan      every 10 ms: "0 0 <-s>" into every
 *             /sys/kernel/debug/shrinker/x86-mmu-* /scan, then read its count.
 *   drop      every 200 ms: "2" into /proc/sys/vm/drop_caches, timed: the
 *             summary has the maximum and 99th percentile of the writes.
 *   memslot   every 20 ms, on a churn VM whose one vCPU touches the slot:
 *             memslot 1 (2 MiB) cycles through add at A, move to B, delete,
 *             add at B, move to A, delete; every 500 ms the same step on the
 *             next worker VM (nobody touches it there).  Deletes and moves
 *             zap all shadow pages (kvm_mmu_zap_all_fast(), obsolete pages).
 *             Plain KVM_SET_USER_MEMORY_REGION on our own buffer: the
 *             library's memslot bookkeeping is not thread-safe, and it is not
 *             touched after setup.
 *   limit     every 50 ms: KVM_SET_NR_MMU_PAGES on every worker VM and the
 *             churn VM, cycling 64 (the minimum) .. 4096.
 *   vmchurn   create a VM with 2-4 vCPUs, run them to GUEST_DONE (each
 *             writes and checks a few pages), add one more vCPU and run it,
 *             free the VM; repeat.
 *   dirtylog  every 100 ms toggle KVM_MEM_LOG_DIRTY_PAGES on the vCPUs'
 *             memslots of worker VM 0, with two KVM_GET_DIRTY_LOG while it
 *             is on.
 *   reclaim   (-R, off by default) real reclaim: with vm.watermark_scale_factor
 *             raised so that kswapd wakes long before the min watermark,
 *             fill anonymous memory until kswapd has run (its context
 *             switches or CPU ticks grew) or MemFree is down to twice
 *             min_free_kbytes,
 *             hold it 1 s, free it, wait 1 s; repeat.  kswapd and direct
 *             reclaim then call the shrinkers from reclaim context
 *             (fs_reclaim held), which debugfs scans and drop_caches never
 *             do, so that lockdep sees what the shrinker locks there.
 *             kswapd stops being woken after 16 runs that reclaim
 *             nothing (MAX_RECLAIM_RETRIES), so usually only the first
 *             fill of a boot wakes it; kswapd_runs counts the fills that
 *             did, and a run in which none did fails.
 *   nx        (-X, off by default) every 500 ms write Y, then N, to
 *             /sys/module/kvm/parameters/nx_huge_pages: set_nx_huge_pages()
 *             takes kvm_lock and each VM's slots_lock and zaps all its
 *             shadow pages.
 * The main thread prints a progress line every 10 s; then it stops
 * everything (the guests check a stop flag on every page), joins the threads
 * (a thread that does not stop within 120 s is reported as a hang), checks
 * the workers' memory and prints the summary.
 *
 * Output: "progress: ..." every 10 s; at the end "stress: ..." lines of
 * key=value counters (scripts/stress.sh collects their key=number words)
 * and a line "result=pass" or "result=fail <reason>".
 *
 * Exit: 0 pass, 1 failure (bad arguments, memory mismatch, failed ioctl,
 * unexpected exit, hang, or an enabled activity that made no progress; with
 * kvm.tdp_mmu=N also a page-limit churn that never made KVM zap, i.e.
 * mmu_recycled=0), 4 (KSFT_SKIP) without KVM.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "test_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "reclaim_util.h"

#define WORDS_PER_PAGE		(GUEST_PAGE / sizeof(uint64_t))
#define TAG			0x6d6d757374726573UL	/* "mmustres" */
#define PASS_MUL		0x9e3779b97f4a7c15UL

#define MAX_VMS			16
#define MAX_VCPUS		64
#define DEFAULT_DURATION	60
#define DEFAULT_VMS		2
#define DEFAULT_VCPUS		2
#define DEFAULT_MEM		(16UL << 20)
#define DEFAULT_NR_TO_SCAN	500

/* Worker memory: slot WORKER_SLOT0 + i, at the top of the GPA space. */
#define WORKER_SLOT0		10
#define WORKER_GVA		0xc0000000UL

/* Worker VMs: one page per 2 MiB, each with its own page table. */
#define SPARSE_SLOT		2
#define SPARSE_GPA		(2UL << 30)
#define SPARSE_SIZE		(256UL << 20)
#define SPARSE_STEP		(2UL << 20)
#define SPARSE_PAGES		(SPARSE_SIZE / SPARSE_STEP)
#define SPARSE_GVA		0x80000000UL
#define SPARSE_WORD0		8	/* vCPU i: word 8 + i of each page */

/* The churned memslot, the same in every VM that has one. */
#define CHURN_SLOT		1
#define CHURN_SIZE		(2UL << 20)
#define CHURN_PAGES		(CHURN_SIZE / GUEST_PAGE)
#define CHURN_GPA_A		(1UL << 30)
#define CHURN_GPA_B		((1UL << 30) + (64UL << 20))
#define CHURN_GVA_A		0xa0000000UL
#define CHURN_GVA_B		(CHURN_GVA_A + CHURN_SIZE)

/* VM churn: a small memslot of its own in each short-lived VM. */
#define VMCHURN_SLOT		1
#define VMCHURN_PAGES		16
#define VMCHURN_GPA		(1UL << 30)
#define VMCHURN_GVA		0xc0000000UL

#define SCAN_MS			10
#define DROP_MS			200
#define MEMSLOT_MS		20
#define WORKER_SLOT_EVERY	25	/* memslot steps: 500 ms */
#define LIMIT_MS		50
#define DIRTY_MS		100
#define RECLAIM_CHUNK		(4UL << 20)
#define RECLAIM_MAX_CHUNKS	8192
#define RECLAIM_HOLD_MS		1000
#define RECLAIM_WSF		"3000"	/* the maximum: 30 % of memory */
#define NX_MS			500
#define PROGRESS_S		10
#define STOP_TIMEOUT_S		120

static const unsigned long limit_cycle[] = {
	64, 128, 1024, 64, 256, 4096, 96, 512,
};

/* Target GPA of each step of the memslot cycle; 0 = delete. */
static const uint64_t churn_cycle[] = {
	CHURN_GPA_A, CHURN_GPA_B, 0, CHURN_GPA_B, CHURN_GPA_A, 0,
};

/*
 * Guest globals: every VM has its own copy, written by the host through
 * the host address of that copy.
 */
static uint64_t guest_stop;
static uint64_t guest_churn_gva;	/* churn VM: GVA of the slot, 0: none */

/* ---- guest ---------------------------------------------------------- */

static inline uint64_t pattern(uint64_t gva, uint64_t pass)
{
	return gva ^ (pass * PASS_MUL) ^ TAG;
}

static void worker_guest(uint64_t gva, uint64_t pages, uint64_t idx)
{
	uint64_t pass, i, bad = 0, first_bad = 0;

	for (pass = 1;; pass++) {
		for (i = 0; i < pages; i++) {
			uint64_t a = gva + i * GUEST_PAGE;
			uint64_t *p = (uint64_t *)a;
			uint64_t old = pattern(a, pass - 1);

			/* Per page: a pass can take seconds under TCG. */
			if (READ_ONCE(guest_stop))
				goto out;
			if (pass > 1 &&
			    (READ_ONCE(p[1]) != pass - 1 ||
			     READ_ONCE(p[0]) != old ||
			     READ_ONCE(p[WORDS_PER_PAGE - 1]) != ~old)) {
				if (!bad++)
					first_bad = a;
			}
			WRITE_ONCE(p[1], pass);
			WRITE_ONCE(p[0], pattern(a, pass));
			WRITE_ONCE(p[WORDS_PER_PAGE - 1], ~pattern(a, pass));
		}
		/* Shared by the VM's vCPUs: each has its own word. */
		for (i = 0; i < SPARSE_PAGES; i++) {
			uint64_t a = SPARSE_GVA + i * SPARSE_STEP;
			uint64_t *p = (uint64_t *)a + SPARSE_WORD0 + idx;

			if (READ_ONCE(guest_stop))
				goto out;
			if (pass > 1 && READ_ONCE(*p) != pattern(a, pass - 1)) {
				if (!bad++)
					first_bad = a;
			}
			WRITE_ONCE(*p, pattern(a, pass));
		}
		GUEST_SYNC3(pass, bad, first_bad);
	}
out:
	GUEST_DONE();
}

/*
 * Touches the churned slot wherever the host says it is.  The host clears
 * guest_churn_gva before it deletes or moves the slot, but a page may still
 * be touched in the window: that is an MMIO exit, which the host ignores.
 */
static void churn_guest(void)
{
	uint64_t pass, i, touched, sum = 0;

	for (pass = 1; !READ_ONCE(guest_stop); pass++) {
		touched = 0;
		for (i = 0; i < CHURN_PAGES; i++) {
			uint64_t base = READ_ONCE(guest_churn_gva);
			uint64_t *p = (uint64_t *)(base + i * GUEST_PAGE);

			if (!base)
				break;
			WRITE_ONCE(*p, base ^ i ^ pass);
			sum += READ_ONCE(*p);
			touched++;
		}
		GUEST_SYNC3(pass, touched, sum);
	}
	GUEST_DONE();
}

static void vmchurn_guest(uint64_t gva, uint64_t pages, uint64_t id)
{
	uint64_t i, bad = 0;

	/* Each vCPU its own word of every page. */
	for (i = 0; i < pages; i++) {
		uint64_t a = gva + i * GUEST_PAGE;
		uint64_t *p = (uint64_t *)a + id;

		WRITE_ONCE(*p, pattern(a, id + 1));
		bad += READ_ONCE(*p) != pattern(a, id + 1);
	}
	GUEST_SYNC1(bad);
	GUEST_DONE();
}

/* ---- host: state and helpers ---------------------------------------- */

struct worker_vcpu {
	struct kvm_vcpu *vcpu;
	int vm_idx, idx;
	uint64_t gva, gpa;
	pthread_t thread;
	uint64_t passes;	/* last completed pass */
	uint64_t mismatches, first_bad;
	bool done_ok;		/* the guest reached GUEST_DONE */
};

struct worker_vm {
	struct kvm_vm *vm;
	uint64_t *stop_hva;
	struct worker_vcpu *vcpus;
};

/* One VM's churned memslot. */
struct churn_slot {
	struct kvm_vm *vm;
	void *hva;
	unsigned int step;
	uint64_t *where_hva;	/* churn VM only: its guest_churn_gva */
};

static int nr_vms = DEFAULT_VMS, nr_vcpus = DEFAULT_VCPUS;
static uint64_t bytes = DEFAULT_MEM, pages, stride;
static long nr_to_scan = DEFAULT_NR_TO_SCAN;
static struct worker_vm *workers;
static struct kvm_vm *churn_vm;
static struct kvm_vcpu *churn_vcpu;
static uint64_t *churn_stop_hva;
static struct churn_slot *slots;	/* [0]: churn VM, then workers */
static glob_t scan_glob;
static bool have_scan;
static bool have_drop_caches;

static bool stop;

/* Counters: one writer each, read by the main thread. */
static uint64_t nr_scans, nr_drops, nr_slot_changes, nr_limit_changes;
static uint64_t nr_vms_created, nr_vms_destroyed, nr_vcpus_created;
static uint64_t nr_dirty_toggles, nr_dirty_pages, shrinker_count_max;
static uint64_t churn_passes, churn_touched, churn_mmio_exits;
static uint64_t nr_fills, nr_fill_mb, nr_kswapd_runs, nr_nx_toggles;
#define MAX_DROP_SAMPLES	(1 << 16)
static uint64_t *drop_us;	/* drop_caches write latencies */

static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;
static char fail_reason[512];

/* Record the first failure and stop the run early. */
static void __printf(1, 2) fail(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("FAIL: %s\n", buf);
	pthread_mutex_lock(&fail_lock);
	if (!fail_reason[0])
		snprintf(fail_reason, sizeof(fail_reason), "%s", buf);
	pthread_mutex_unlock(&fail_lock);
	WRITE_ONCE(stop, true);
}

static struct timespec t0;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - t0.tv_sec) + (ts.tv_nsec - t0.tv_nsec) / 1e9;
}

static uint64_t ctr_get(uint64_t *p)
{
	return READ_ONCE(*p);
}

/* Only the counter's own thread calls this. */
static void ctr_add(uint64_t *p, uint64_t n)
{
	WRITE_ONCE(*p, READ_ONCE(*p) + n);
}

static uint64_t total_passes(void)
{
	uint64_t sum = 0;
	int i, j;

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < nr_vcpus; j++)
			sum += READ_ONCE(workers[i].vcpus[j].passes);
	return sum;
}

/* Sum of a vCPU statistic; 0 if this kernel does not have it. */
static uint64_t vcpu_stat(struct kvm_vcpu *vcpu, const char *name)
{
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;
	uint64_t data = 0;
	size_t size_desc;
	uint32_t i;
	int fd;

	fd = vcpu_get_stats_fd(vcpu);
	read_stats_header(fd, &hdr);
	desc = read_stats_descriptors(fd, &hdr);
	size_desc = get_stats_descriptor_size(&hdr);
	for (i = 0; i < hdr.num_desc; i++) {
		struct kvm_stats_desc *d = (void *)desc + i * size_desc;

		if (!strcmp(d->name, name)) {
			read_stat_data(fd, &hdr, d, &data, 1);
			break;
		}
	}
	free(desc);
	close(fd);
	return data;
}

/* ---- host: threads -------------------------------------------------- */

static void *worker_thread(void *data)
{
	struct worker_vcpu *w = data;
	struct ucall uc;
	int r;

	for (;;) {
		r = __vcpu_run(w->vcpu);
		if (r == -1 && errno == EINTR)
			continue;
		if (r) {
			fail("VM %d vCPU %d: KVM_RUN: %s", w->vm_idx, w->idx,
			     strerror(errno));
			break;
		}
		switch (get_ucall(w->vcpu, &uc)) {
		case UCALL_SYNC:
			if (uc.args[1] && !w->mismatches)
				fail("VM %d vCPU %d: pass %lu: %lu mismatches, first at gva 0x%lx",
				     w->vm_idx, w->idx, uc.args[0], uc.args[1],
				     uc.args[2]);
			w->mismatches = uc.args[1];
			w->first_bad = uc.args[2];
			WRITE_ONCE(w->passes, uc.args[0]);
			continue;
		case UCALL_DONE:
			w->done_ok = true;
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			fail("VM %d vCPU %d: unexpected exit %s, ucall %lu",
			     w->vm_idx, w->idx,
			     exit_reason_str(w->vcpu->run->exit_reason), uc.cmd);
			break;
		}
		break;
	}
	return NULL;
}

static void *churn_vcpu_thread(void *data)
{
	struct kvm_run *run = churn_vcpu->run;
	struct ucall uc;
	int r;

	for (;;) {
		r = __vcpu_run(churn_vcpu);
		if (r == -1 && errno == EINTR)
			continue;
		if (r) {
			fail("churn vCPU: KVM_RUN: %s", strerror(errno));
			break;
		}
		/* The slot was gone under the guest: a read gets zeroes. */
		if (run->exit_reason == KVM_EXIT_MMIO) {
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0, sizeof(run->mmio.data));
			ctr_add(&churn_mmio_exits, 1);
			continue;
		}
		switch (get_ucall(churn_vcpu, &uc)) {
		case UCALL_SYNC:
			WRITE_ONCE(churn_passes, uc.args[0]);
			ctr_add(&churn_touched, uc.args[1]);
			/* Slot absent: do not spin on exits, leave the CPU. */
			if (!uc.args[1])
				sleep_ms(1);
			continue;
		case UCALL_DONE:
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			fail("churn vCPU: unexpected exit %s, ucall %lu",
			     exit_reason_str(run->exit_reason), uc.cmd);
			break;
		}
		break;
	}
	return NULL;
}

/* Sum of the per-node numbers (after the memcg ino) of a count file. */
static uint64_t parse_count(const char *buf)
{
	const char *line = buf;
	uint64_t sum = 0;

	while (line && *line) {
		const char *s = line;
		char *e;
		int field = 0;

		for (;;) {
			unsigned long long v = strtoull(s, &e, 10);

			if (e == s)
				break;
			if (field++)
				sum += v;
			s = e;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return sum;
}

static void *scan_thread(void *data)
{
	char cmd[64], buf[4096], path[PATH_MAX];
	int len = snprintf(cmd, sizeof(cmd), "0 0 %ld", nr_to_scan);
	size_t i;

	while (!READ_ONCE(stop)) {
		for (i = 0; i < scan_glob.gl_pathc; i++) {
			const char *scan = scan_glob.gl_pathv[i];
			uint64_t count;
			ssize_t n;
			int fd;

			fd = open(scan, O_WRONLY);
			if (fd < 0 || write(fd, cmd, len) != len) {
				fail("writing '%s' to %s: %s", cmd, scan,
				     strerror(errno));
				if (fd >= 0)
					close(fd);
				return NULL;
			}
			close(fd);
			ctr_add(&nr_scans, 1);

			/* .../scan -> .../count */
			snprintf(path, sizeof(path), "%.*s/count",
				 (int)(strrchr(scan, '/') - scan), scan);
			fd = open(path, O_RDONLY);
			n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
			if (n < 0) {
				fail("reading %s: %s", path, strerror(errno));
				if (fd >= 0)
					close(fd);
				return NULL;
			}
			close(fd);
			buf[n] = 0;
			count = parse_count(buf);
			if (count > shrinker_count_max)
				WRITE_ONCE(shrinker_count_max, count);
		}
		sleep_ms(SCAN_MS);
	}
	return NULL;
}

static void *drop_thread(void *data)
{
	while (!READ_ONCE(stop)) {
		int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
		struct timespec ts;
		ssize_t r;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = fd < 0 ? -1 : write(fd, "2", 1);
		if (nr_drops < MAX_DROP_SAMPLES)
			drop_us[nr_drops] = timespec_to_ns(timespec_elapsed(ts)) / 1000;
		if (r != 1) {
			fail("writing 2 to /proc/sys/vm/drop_caches: %s",
			     strerror(errno));
			if (fd >= 0)
				close(fd);
			return NULL;
		}
		close(fd);
		ctr_add(&nr_drops, 1);
		sleep_ms(DROP_MS);
	}
	return NULL;
}

/* One step of the memslot cycle; false on failure. */
static bool churn_step(struct churn_slot *cs)
{
	uint64_t gpa = churn_cycle[cs->step % ARRAY_SIZE(churn_cycle)];
	int r;

	/* Steer the guest away before the slot goes. */
	if (cs->where_hva)
		WRITE_ONCE(*cs->where_hva, 0);
	r = __vm_set_user_memory_region(cs->vm, CHURN_SLOT, 0, gpa,
					gpa ? CHURN_SIZE : 0, cs->hva);
	if (r) {
		fail("KVM_SET_USER_MEMORY_REGION slot %d gpa 0x%lx size 0x%lx (step %u): %s",
		     CHURN_SLOT, gpa, gpa ? CHURN_SIZE : 0,
		     cs->step % (unsigned int)ARRAY_SIZE(churn_cycle),
		     strerror(errno));
		return false;
	}
	if (cs->where_hva && gpa)
		WRITE_ONCE(*cs->where_hva,
			   gpa == CHURN_GPA_A ? CHURN_GVA_A : CHURN_GVA_B);
	cs->step++;
	ctr_add(&nr_slot_changes, 1);
	return true;
}

static void *memslot_thread(void *data)
{
	unsigned long iter;
	int next = 0;

	for (iter = 0; !READ_ONCE(stop); iter++) {
		if (!churn_step(&slots[0]))
			break;
		if (iter % WORKER_SLOT_EVERY == WORKER_SLOT_EVERY - 1) {
			if (!churn_step(&slots[1 + next]))
				break;
			next = (next + 1) % nr_vms;
		}
		sleep_ms(MEMSLOT_MS);
	}
	return NULL;
}

static int set_nr_mmu_pages(struct kvm_vm *vm, unsigned long n)
{
	int r = __vm_ioctl(vm, KVM_SET_NR_MMU_PAGES, (void *)n);

	if (r)
		fail("KVM_SET_NR_MMU_PAGES %lu: %s", n, strerror(errno));
	return r;
}

static void *limit_thread(void *data)
{
	unsigned long iter;
	int i;

	for (iter = 0; !READ_ONCE(stop); iter++) {
		unsigned long n = limit_cycle[iter % ARRAY_SIZE(limit_cycle)];

		for (i = 0; i < nr_vms; i++) {
			if (set_nr_mmu_pages(workers[i].vm, n))
				return NULL;
			ctr_add(&nr_limit_changes, 1);
		}
		if (churn_vm) {
			if (set_nr_mmu_pages(churn_vm, n))
				return NULL;
			ctr_add(&nr_limit_changes, 1);
		}
		sleep_ms(LIMIT_MS);
	}
	return NULL;
}

/* Run one vCPU of a churn VM to GUEST_DONE; false on failure. */
static bool vmchurn_run(struct kvm_vcpu *vcpu, unsigned long nr)
{
	bool synced = false;
	struct ucall uc;
	int r;

	for (;;) {
		r = __vcpu_run(vcpu);
		if (r == -1 && errno == EINTR)
			continue;
		if (r) {
			fail("VM churn %lu vCPU %u: KVM_RUN: %s", nr, vcpu->id,
			     strerror(errno));
			return false;
		}
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			if (uc.args[0]) {
				fail("VM churn %lu vCPU %u: %lu mismatches",
				     nr, vcpu->id, uc.args[0]);
				return false;
			}
			synced = true;
			continue;
		case UCALL_DONE:
			if (!synced) {
				fail("VM churn %lu vCPU %u: done without sync",
				     nr, vcpu->id);
				return false;
			}
			return true;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			return false;
		default:
			fail("VM churn %lu vCPU %u: unexpected exit %s, ucall %lu",
			     nr, vcpu->id,
			     exit_reason_str(vcpu->run->exit_reason), uc.cmd);
			return false;
		}
	}
}

static void *vmchurn_thread(void *data)
{
	struct kvm_vcpu *vcpus[5];
	unsigned long iter;

	for (iter = 0; !READ_ONCE(stop); iter++) {
		int nr = 2 + iter % 3, i;
		struct kvm_vm *vm;
		bool ok = true;

		vm = __vm_create_with_vcpus(VM_SHAPE_DEFAULT, nr, 2 * 512,
					    vmchurn_guest, vcpus);
		ctr_add(&nr_vms_created, 1);
		ctr_add(&nr_vcpus_created, nr);
		vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS,
					    VMCHURN_GPA, VMCHURN_SLOT,
					    VMCHURN_PAGES, 0);
		virt_map(vm, VMCHURN_GVA, VMCHURN_GPA, VMCHURN_PAGES);
		for (i = 0; i < nr; i++)
			vcpu_args_set(vcpus[i], 3, VMCHURN_GVA, VMCHURN_PAGES,
				      i);
		for (i = 0; ok && i < nr; i++)
			ok = vmchurn_run(vcpus[i], iter);
		/* One more vCPU once the MMU is populated. */
		if (ok) {
			vcpus[nr] = vm_vcpu_add(vm, nr, vmchurn_guest);
			ctr_add(&nr_vcpus_created, 1);
			vcpu_args_set(vcpus[nr], 3, VMCHURN_GVA,
				      VMCHURN_PAGES, nr);
			ok = vmchurn_run(vcpus[nr], iter);
		}
		kvm_vm_free(vm);
		ctr_add(&nr_vms_destroyed, 1);
		if (!ok)
			break;
	}
	return NULL;
}

/* Flags of all of worker VM 0's memslots; false on failure. */
static bool set_dirty_logging(bool on)
{
	struct kvm_vm *vm = workers[0].vm;
	int i, r;

	for (i = 0; i < nr_vcpus; i++) {
		struct userspace_mem_region *region;

		/* Only .flags changes: the vCPU threads never look at it. */
		region = memslot2region(vm, WORKER_SLOT0 + i);
		region->region.flags = on ? KVM_MEM_LOG_DIRTY_PAGES : 0;
		r = __vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region->region);
		if (r) {
			fail("dirty logging %s on slot %d: %s",
			     on ? "on" : "off", WORKER_SLOT0 + i,
			     strerror(errno));
			return false;
		}
	}
	ctr_add(&nr_dirty_toggles, 1);
	return true;
}

static bool get_dirty_logs(unsigned long *bitmap)
{
	struct kvm_vm *vm = workers[0].vm;
	uint64_t i, dirty = 0;
	int s, r;

	for (s = 0; s < nr_vcpus; s++) {
		struct kvm_dirty_log log = {
			.slot = WORKER_SLOT0 + s,
			.dirty_bitmap = bitmap,
		};

		r = __vm_ioctl(vm, KVM_GET_DIRTY_LOG, &log);
		if (r) {
			fail("KVM_GET_DIRTY_LOG slot %d: %s", WORKER_SLOT0 + s,
			     strerror(errno));
			return false;
		}
		for (i = 0; i < DIV_ROUND_UP(pages, 64); i++)
			dirty += __builtin_popcountl(bitmap[i]);
	}
	ctr_add(&nr_dirty_pages, dirty);
	return true;
}

static void *dirty_thread(void *data)
{
	unsigned long *bitmap = calloc(DIV_ROUND_UP(pages, 64), 8);

	TEST_ASSERT(bitmap, "out of memory");
	while (!READ_ONCE(stop)) {
		if (!set_dirty_logging(true))
			break;
		sleep_ms(DIRTY_MS);
		if (!get_dirty_logs(bitmap))
			break;
		sleep_ms(DIRTY_MS);
		if (!get_dirty_logs(bitmap) || !set_dirty_logging(false))
			break;
		sleep_ms(DIRTY_MS);
	}
	free(bitmap);
	return NULL;
}

/* ---- arguments ------------------------------------------------------ */

static void help(const char *name)
{
	printf("usage: %s [-h] [-d seconds] [-n vms] [-v vcpus] [-b bytes]\n"
	       "          [-s nr_to_scan] [-m] [-l] [-c] [-L] [-S] [-R] [-X]\n", name);
	printf(" -d: run time in seconds (1-604800). Default: %d\n",
	       DEFAULT_DURATION);
	printf(" -n: worker VMs (1-%d). Default: %d\n", MAX_VMS, DEFAULT_VMS);
	printf(" -v: vCPUs per worker VM (1-%d). Default: %d\n", MAX_VCPUS,
	       DEFAULT_VCPUS);
	printf(" -b: guest memory per worker vCPU, a multiple of 4K, e.g. 16M\n"
	       "     (K/M/G suffixes). Default: 16M\n");
	printf(" -s: nr_to_scan written to the x86-mmu shrinker's debugfs scan\n"
	       "     file (1-1000000000). Default: %d\n", DEFAULT_NR_TO_SCAN);
	printf(" -m: no memslot churn (and no churn VM). Default: on\n");
	printf(" -l: no KVM_SET_NR_MMU_PAGES churn. Default: on\n");
	printf(" -c: no VM/vCPU create/destroy churn. Default: on\n");
	printf(" -L: no dirty logging toggle on worker VM 0. Default: on\n");
	printf(" -S: no shrinker scan and drop_caches loops. Default: on\n");
	printf(" -R: real reclaim: fill memory until kswapd runs, repeatedly\n"
	       "     (raises vm.watermark_scale_factor). Default: off\n");
	printf(" -X: toggle kvm.nx_huge_pages every %d ms. Default: off\n",
	       NX_MS);
	printf(" -h: this help\n");
	printf("Exit: 0 pass, 1 failure, 4 skip (no KVM).\n");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- reclaim pressure ---------------------------------------------- */

#define MAX_KSWAPD	16
static char kswapd_dir[MAX_KSWAPD][32];	/* "/proc/<pid>/" */
static int nr_kswapd;

/* The kswapd threads, one per node, exist from boot: find them once. */
static void find_kswapd(void)
{
	char line[64];
	glob_t g;
	size_t i;

	if (glob("/proc/[0-9]*/comm", 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc && nr_kswapd < MAX_KSWAPD; i++) {
		FILE *f = fopen(g.gl_pathv[i], "r");

		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && !strncmp(line, "kswapd", 6))
			snprintf(kswapd_dir[nr_kswapd++], sizeof(kswapd_dir[0]),
				 "%.*s", (int)strlen(g.gl_pathv[i]) - 4, g.gl_pathv[i]);
		fclose(f);
	}
	globfree(&g);
}

/*
 * How much kswapd ran: the context switches and CPU ticks of every kswapd
 * thread, from /proc/<pid>/status and stat.  Any growth means it ran;
 * /proc/vmstat's pageoutrun needs CONFIG_VM_EVENT_COUNTERS, this does not.
 */
static long long kswapd_activity(void)
{
	char path[64], line[512];
	unsigned long ut, st;
	long long sum = 0;
	FILE *f;
	int i;

	if (!nr_kswapd)
		return -1;
	for (i = 0; i < nr_kswapd; i++) {
		snprintf(path, sizeof(path), "%sstatus", kswapd_dir[i]);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "ctxt_switches:"))
				sum += strtoll(strchr(line, ':') + 1, NULL, 10);
		if (f)
			fclose(f);
		/* utime and stime: fields 14 and 15, after "(comm) ". */
		snprintf(path, sizeof(path), "%sstat", kswapd_dir[i]);
		f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f) && strrchr(line, ')') &&
		    sscanf(strrchr(line, ')') + 2,
			   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			   &ut, &st) == 2)
			sum += ut + st;
		if (f)
			fclose(f);
	}
	return sum;
}

static long min_free_kb;

/* Fill memory until kswapd ran; false if it never did. */
static bool reclaim_fill(void **chunks)
{
	long long runs = kswapd_activity();
	bool woke = false;
	int n = 0;

	while (!READ_ONCE(stop) && n < RECLAIM_MAX_CHUNKS) {
		if (kswapd_activity() != runs) {
			woke = true;
			break;
		}
		if (meminfo_kb("MemFree") < 2 * min_free_kb)
			break;
		chunks[n] = mmap(NULL, RECLAIM_CHUNK, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
				 -1, 0);
		if (chunks[n] == MAP_FAILED)
			break;
		n++;
	}
	/* kswapd keeps trying while the memory is held. */
	sleep_ms(RECLAIM_HOLD_MS);
	woke |= kswapd_activity() != runs;
	ctr_add(&nr_fill_mb, n * (RECLAIM_CHUNK >> 20));
	while (n)
		munmap(chunks[--n], RECLAIM_CHUNK);
	return woke;
}

static void *reclaim_thread(void *data)
{
	void **chunks = calloc(RECLAIM_MAX_CHUNKS, sizeof(*chunks));

	TEST_ASSERT(chunks, "out of memory");
	while (!READ_ONCE(stop)) {
		if (reclaim_fill(chunks))
			ctr_add(&nr_kswapd_runs, 1);
		ctr_add(&nr_fills, 1);
		sleep_ms(RECLAIM_HOLD_MS);
	}
	free(chunks);
	return NULL;
}

static bool write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

#define NX_PARAM	"/sys/module/kvm/parameters/nx_huge_pages"

static void *nx_thread(void *data)
{
	while (!READ_ONCE(stop)) {
		const char *val = nr_nx_toggles % 2 ? "N" : "Y";

		if (!write_str(NX_PARAM, val)) {
			fail("writing %s to %s: %s", val, NX_PARAM,
			     strerror(errno));
			return NULL;
		}
		ctr_add(&nr_nx_toggles, 1);
		sleep_ms(NX_MS);
	}
	return NULL;
}

/* ---- setup ---------------------------------------------------------- */

static void *alloc_churn_buf(void)
{
	void *p = mmap(NULL, CHURN_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	TEST_ASSERT(p != MAP_FAILED, "mmap of the churn slot's memory failed");
	return p;
}

/* Slot 0 must end below the churned slot's GPAs. */
static void check_slot0(struct kvm_vm *vm)
{
	struct userspace_mem_region *r0 = memslot2region(vm, 0);

	TEST_ASSERT(r0->region.guest_phys_addr + r0->region.memory_size <=
		    CHURN_GPA_A, "memslot 0 overlaps the churned slot's GPAs");
}

static void create_worker(int n)
{
	struct worker_vm *w = &workers[n];
	struct kvm_vcpu *vcpu_arr[MAX_VCPUS];
	uint64_t total = nr_vcpus * stride, base;
	int i;

	w->vcpus = calloc(nr_vcpus, sizeof(*w->vcpus));
	TEST_ASSERT(w->vcpus, "out of memory");
	/* The extra pages only size the page table budget of slot 0. */
	w->vm = __vm_create_with_vcpus(VM_SHAPE_DEFAULT, nr_vcpus,
				       (total + SPARSE_SIZE) / GUEST_PAGE,
				       worker_guest, vcpu_arr);
	check_slot0(w->vm);
	/* At the top of the GPA space, far above the churned slot. */
	TEST_ASSERT(total / GUEST_PAGE < w->vm->max_gfn,
		    "worker memory too large for the guest address space");
	base = align_down((w->vm->max_gfn - total / GUEST_PAGE) * GUEST_PAGE,
			  2UL << 20);
	TEST_ASSERT(base >= SPARSE_GPA + SPARSE_SIZE,
		    "worker memory too large for the guest address space");
	/* Only the touched pages of the sparse slot get memory. */
	vm_userspace_mem_region_add(w->vm, VM_MEM_SRC_ANONYMOUS, SPARSE_GPA,
				    SPARSE_SLOT, SPARSE_SIZE / GUEST_PAGE, 0);
	for (i = 0; i < SPARSE_PAGES; i++)
		virt_pg_map(w->vm, SPARSE_GVA + i * SPARSE_STEP,
			    SPARSE_GPA + i * SPARSE_STEP);
	for (i = 0; i < nr_vcpus; i++) {
		struct worker_vcpu *v = &w->vcpus[i];

		v->vcpu = vcpu_arr[i];
		v->vm_idx = n;
		v->idx = i;
		v->gpa = base + i * stride;
		v->gva = WORKER_GVA + i * stride;
		vm_userspace_mem_region_add(w->vm, VM_MEM_SRC_ANONYMOUS,
					    v->gpa, WORKER_SLOT0 + i, pages, 0);
		virt_map(w->vm, v->gva, v->gpa, pages);
		vcpu_args_set(v->vcpu, 3, v->gva, pages, i);
	}
	w->stop_hva = addr_gva2hva(w->vm, (vm_vaddr_t)&guest_stop);
}

static void create_churn_vm(void)
{
	churn_vm = __vm_create_with_vcpus(VM_SHAPE_DEFAULT, 1, 2 * CHURN_PAGES,
					  churn_guest, &churn_vcpu);
	check_slot0(churn_vm);
	TEST_ASSERT(CHURN_GPA_B + CHURN_SIZE <= churn_vm->max_gfn * GUEST_PAGE,
		    "guest address space too small for the churned slot");
	/* Both homes of the slot mapped: the guest picks the present one. */
	virt_map(churn_vm, CHURN_GVA_A, CHURN_GPA_A, CHURN_PAGES);
	virt_map(churn_vm, CHURN_GVA_B, CHURN_GPA_B, CHURN_PAGES);
	churn_stop_hva = addr_gva2hva(churn_vm, (vm_vaddr_t)&guest_stop);
	slots[0].vm = churn_vm;
	slots[0].hva = alloc_churn_buf();
	slots[0].where_hva = addr_gva2hva(churn_vm,
					  (vm_vaddr_t)&guest_churn_gva);
}

/*
 * Host check after the stop: every page holds pass p + 1 (written by the
 * interrupted pass) up to some page and pass p after it.
 */
static uint64_t check_memory(struct worker_vm *w, struct worker_vcpu *v)
{
	uint64_t *hva = addr_gpa2hva(w->vm, v->gpa);
	uint64_t last = v->passes, i, bad = 0;
	bool in_old = false;

	for (i = 0; i < pages; i++) {
		uint64_t *p = hva + i * WORDS_PER_PAGE;
		uint64_t gva = v->gva + i * GUEST_PAGE, k = p[1];
		bool ok;

		if (k == last + 1 && !in_old) {
			ok = true;
		} else if (k == last) {
			in_old = true;
			ok = true;
		} else {
			ok = false;
		}
		if (ok && k)
			ok = p[0] == pattern(gva, k) &&
			     p[WORDS_PER_PAGE - 1] == ~pattern(gva, k);
		else if (ok)
			ok = !p[0] && !p[WORDS_PER_PAGE - 1];
		if (!ok && !bad++)
			printf("VM %d vCPU %d: host check: page at gva 0x%lx has pass %lu (last %lu) 0x%lx 0x%lx\n",
			       v->vm_idx, v->idx, gva, k, last, p[0],
			       p[WORDS_PER_PAGE - 1]);
	}
	return bad;
}

/* ---- main ----------------------------------------------------------- */

struct thread_ref {
	pthread_t thread;
	const char *name;
	bool joined;
};

static struct thread_ref threads[MAX_VMS * MAX_VCPUS + 8];
static int nr_threads;

static void start(const char *name, void *(*fn)(void *), void *arg)
{
	struct thread_ref *t = &threads[nr_threads++];
	int r;

	t->name = name;
	r = pthread_create(&t->thread, NULL, fn, arg);
	TEST_ASSERT(!r, "pthread_create for %s: %s", name, strerror(r));
}

static void print_progress(double t)
{
	printf("progress: t=%.0f passes=%lu scans=%lu drop_caches=%lu memslot_changes=%lu nr_mmu_pages_changes=%lu vms_created=%lu dirty_log_toggles=%lu churn_passes=%lu\n",
	       t, total_passes(), ctr_get(&nr_scans), ctr_get(&nr_drops),
	       ctr_get(&nr_slot_changes), ctr_get(&nr_limit_changes),
	       ctr_get(&nr_vms_created), ctr_get(&nr_dirty_toggles),
	       ctr_get(&churn_passes));
}

int main(int argc, char *argv[])
{
	bool do_memslot = true, do_limit = true, do_vmchurn = true;
	bool do_dirty = true, do_scan = true, do_reclaim = false, do_nx = false;
	char old_wsf[64] = "", old_nx[64] = "";
	const char *hung = NULL;
	uint64_t passes = 0, mismatches = 0, bad_pages = 0, pf_taken = 0;
	uint64_t zapped = 0, recycled = 0, cache_miss = 0;
	uint64_t drop_max_us, drop_p99_us;
	const char *name = argv[0];
	char reason[1024] = "", tdp_mmu[64], npt[64], ept[64];
	struct timespec deadline;
	long duration = DEFAULT_DURATION;
	long long avail_kb;
	double next_progress, t;
	int opt, i, j;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	while ((opt = getopt(argc, argv, "hd:n:v:b:s:mlcLSRX")) != -1) {
		switch (opt) {
		case 'd':
			duration = parse_long(name, "-d", optarg, 1, 604800);
			break;
		case 'n':
			nr_vms = parse_long(name, "-n", optarg, 1, MAX_VMS);
			break;
		case 'v':
			nr_vcpus = parse_long(name, "-v", optarg, 1, MAX_VCPUS);
			break;
		case 'b':
			bytes = parse_bytes(name, optarg, 64UL << 30);
			break;
		case 's':
			nr_to_scan = parse_long(name, "-s", optarg, 1,
						1000000000);
			break;
		case 'm':
			do_memslot = false;
			break;
		case 'l':
			do_limit = false;
			break;
		case 'c':
			do_vmchurn = false;
			break;
		case 'L':
			do_dirty = false;
			break;
		case 'S':
			do_scan = false;
			break;
		case 'R':
			do_reclaim = true;
			break;
		case 'X':
			do_nx = true;
			break;
		default:
			help_or_usage(name, opt);
		}
	}
	no_operands(name, argc, argv);

	pages = bytes / GUEST_PAGE;
	stride = align_up(bytes, 2UL << 20);
	avail_kb = meminfo_kb("MemAvailable");
	if (avail_kb < 0)
		avail_kb = meminfo_kb("MemFree");
	if (avail_kb >= 0 &&
	    nr_vms * nr_vcpus * bytes / 1024 > (uint64_t)avail_kb) {
		fprintf(stderr, "%s: %d VMs x %d vCPUs x %lu MiB of guest memory is more than MemAvailable (%lld MiB)\n",
			name, nr_vms, nr_vcpus, bytes >> 20, avail_kb >> 10);
		exit(KSFT_FAIL);
	}

	/* Skips (exit 4) when /dev/kvm is missing. */
	close(open_kvm_dev_path_or_exit());
	TEST_REQUIRE(kvm_has_cap(KVM_CAP_USER_MEMORY2));
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_NR_MEMSLOTS) >=
		     WORKER_SLOT0 + nr_vcpus);
	if (do_limit)
		TEST_REQUIRE(kvm_has_cap(KVM_CAP_MMU_SHADOW_CACHE_CONTROL));

	if (do_scan) {
		/* No CONFIG_SHRINKER_DEBUG: nothing to scan, not a failure. */
		have_scan = !glob("/sys/kernel/debug/shrinker/x86-mmu-*/scan",
				  0, NULL, &scan_glob);
		if (!have_scan)
			printf("note: no /sys/kernel/debug/shrinker/x86-mmu-*/scan (CONFIG_SHRINKER_DEBUG, debugfs?): no scans\n");
		have_drop_caches = !access("/proc/sys/vm/drop_caches", W_OK);
		if (!have_drop_caches)
			printf("note: /proc/sys/vm/drop_caches is not writable: no drop_caches\n");
	}

	if (do_reclaim) {
		FILE *f = fopen("/proc/sys/vm/min_free_kbytes", "r");

		TEST_ASSERT(f && fscanf(f, "%ld", &min_free_kb) == 1,
			    "cannot read /proc/sys/vm/min_free_kbytes");
		fclose(f);
		find_kswapd();
		TEST_ASSERT(kswapd_activity() >= 0, "no kswapd thread found");
		read_param("/proc/sys/vm/watermark_scale_factor", old_wsf,
			   sizeof(old_wsf));
		TEST_ASSERT(write_str("/proc/sys/vm/watermark_scale_factor",
				      RECLAIM_WSF),
			    "cannot write /proc/sys/vm/watermark_scale_factor");
	}
	if (do_nx) {
		read_param(NX_PARAM, old_nx, sizeof(old_nx));
		TEST_ASSERT(!access(NX_PARAM, W_OK), "%s is not writable", NX_PARAM);
	}

	/*
	 * All VMs before any thread: the library's lazily filled caches
	 * (e.g. the supported CPUID) are then set up single-threaded.
	 */
	drop_us = calloc(MAX_DROP_SAMPLES, sizeof(*drop_us));
	TEST_ASSERT(drop_us, "out of memory");
	slots = calloc(1 + nr_vms, sizeof(*slots));
	workers = calloc(nr_vms, sizeof(*workers));
	TEST_ASSERT(slots && workers, "out of memory");
	for (i = 0; i < nr_vms; i++)
		create_worker(i);
	if (do_memslot) {
		create_churn_vm();
		for (i = 0; i < nr_vms; i++) {
			slots[1 + i].vm = workers[i].vm;
			slots[1 + i].hva = alloc_churn_buf();
		}
	}

	read_param("/sys/module/kvm/parameters/tdp_mmu", tdp_mmu,
		   sizeof(tdp_mmu));
	read_param("/sys/module/kvm_amd/parameters/npt", npt, sizeof(npt));
	read_param("/sys/module/kvm_intel/parameters/ept", ept, sizeof(ept));
	printf("mmu_reclaim_stress: %d VMs x %d vCPUs x %lu KiB, %ld s, nr_to_scan %ld, kvm.tdp_mmu=%s kvm_amd.npt=%s kvm_intel.ept=%s; memslot %s, limit %s, vmchurn %s, dirtylog %s, scan %s, reclaim %s, nx %s\n",
	       nr_vms, nr_vcpus, bytes >> 10, duration, nr_to_scan, tdp_mmu,
	       npt, ept, do_memslot ? "on" : "off", do_limit ? "on" : "off",
	       do_vmchurn ? "on" : "off", do_dirty ? "on" : "off",
	       do_scan ? "on" : "off", do_reclaim ? "on" : "off",
	       do_nx ? "on" : "off");

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < nr_vcpus; j++)
			start("worker vCPU", worker_thread,
			      &workers[i].vcpus[j]);
	if (do_memslot) {
		start("churn vCPU", churn_vcpu_thread, NULL);
		start("memslot churn", memslot_thread, NULL);
	}
	if (do_scan && have_scan)
		start("shrinker scan", scan_thread, NULL);
	if (do_scan && have_drop_caches)
		start("drop_caches", drop_thread, NULL);
	if (do_limit)
		start("nr_mmu_pages churn", limit_thread, NULL);
	if (do_vmchurn)
		start("VM churn", vmchurn_thread, NULL);
	if (do_dirty)
		start("dirty logging", dirty_thread, NULL);
	if (do_reclaim)
		start("reclaim", reclaim_thread, NULL);
	if (do_nx)
		start("nx_huge_pages", nx_thread, NULL);

	next_progress = PROGRESS_S;
	while ((t = now_s()) < duration && !READ_ONCE(stop)) {
		if (t >= next_progress) {
			print_progress(t);
			next_progress += PROGRESS_S;
		}
		sleep_ms(100);
	}

	/* Stop: host threads see stop, guests their own stop flag. */
	WRITE_ONCE(stop, true);
	for (i = 0; i < nr_vms; i++)
		WRITE_ONCE(*workers[i].stop_hva, 1);
	if (churn_stop_hva)
		WRITE_ONCE(*churn_stop_hva, 1);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += STOP_TIMEOUT_S;
	for (i = 0; i < nr_threads; i++) {
		int r = pthread_timedjoin_np(threads[i].thread, NULL, &deadline);

		if (!r) {
			threads[i].joined = true;
			continue;
		}
		if (!hung)
			hung = threads[i].name;
		fail("%s thread did not stop within %d s (hang?)",
		     threads[i].name, STOP_TIMEOUT_S);
	}
	print_progress(now_s());
	if (old_wsf[0])
		write_str("/proc/sys/vm/watermark_scale_factor", old_wsf);
	if (old_nx[0] && !hung)
		write_str(NX_PARAM, old_nx);

	/* drop_caches latency: the 99th percentile of the samples kept. */
	{
		uint64_t n = min(nr_drops, (uint64_t)MAX_DROP_SAMPLES);

		qsort(drop_us, n, sizeof(*drop_us), cmp_u64);
		drop_max_us = n ? drop_us[n - 1] : 0;
		drop_p99_us = n ? drop_us[(n - 1) * 99 / 100] : 0;
	}

	/* Totals; the memory and statistics only if nothing still runs. */
	for (i = 0; i < nr_vms; i++) {
		for (j = 0; j < nr_vcpus; j++) {
			struct worker_vcpu *v = &workers[i].vcpus[j];

			passes += v->passes;
			mismatches += v->mismatches;
			if (hung)
				continue;
			if (v->done_ok)
				bad_pages += check_memory(&workers[i], v);
			pf_taken += vcpu_stat(v->vcpu, "pf_taken");
		}
		if (hung)
			continue;
		zapped += vm_get_stat(workers[i].vm, "mmu_shadow_zapped");
		recycled += vm_get_stat(workers[i].vm, "mmu_recycled");
		cache_miss += vm_get_stat(workers[i].vm, "mmu_cache_miss");
	}
	if (churn_vm && !hung) {
		zapped += vm_get_stat(churn_vm, "mmu_shadow_zapped");
		recycled += vm_get_stat(churn_vm, "mmu_recycled");
		cache_miss += vm_get_stat(churn_vm, "mmu_cache_miss");
	}

	printf("stress: faults/passes: vcpus=%d passes=%lu pf_taken=%lu mismatches=%lu bad_pages=%lu\n",
	       nr_vms * nr_vcpus, passes, pf_taken, mismatches, bad_pages);
	printf("stress: scans=%lu drop_caches=%lu memslot_changes=%lu nr_mmu_pages_changes=%lu vms_created=%lu vms_destroyed=%lu vcpus_created=%lu dirty_log_toggles=%lu\n",
	       nr_scans, nr_drops, nr_slot_changes, nr_limit_changes,
	       nr_vms_created, nr_vms_destroyed, nr_vcpus_created,
	       nr_dirty_toggles);
	printf("stress: reclaim: fills=%lu fill_mb=%lu kswapd_runs=%lu nx_toggles=%lu drop_caches_max_us=%lu drop_caches_p99_us=%lu\n",
	       nr_fills, nr_fill_mb, nr_kswapd_runs, nr_nx_toggles,
	       drop_max_us, drop_p99_us);
	printf("stress: details: churn_passes=%lu churn_pages_touched=%lu churn_mmio_exits=%lu dirty_pages=%lu shrinker_count_max=%lu mmu_shadow_zapped=%lu mmu_recycled=%lu mmu_cache_miss=%lu\n",
	       churn_passes, churn_touched, churn_mmio_exits, nr_dirty_pages,
	       shrinker_count_max, zapped, recycled, cache_miss);

	/* Verdict: the first failure, then anything that did nothing. */
#define WHY(cond, ...)							\
	do {								\
		if (cond)						\
			snprintf(reason + strlen(reason),		\
				 sizeof(reason) - strlen(reason),	\
				 __VA_ARGS__);				\
	} while (0)
	WHY(fail_reason[0], "%s; ", fail_reason);
	WHY(hung && !strstr(fail_reason, "did not stop"),
	    "%s thread did not stop within %d s (hang?); ", hung,
	    STOP_TIMEOUT_S);
	WHY(mismatches || bad_pages,
	    "guest memory corrupted (%lu guest mismatches, %lu bad pages); ",
	    mismatches, bad_pages);
	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < nr_vcpus; j++)
			WHY(!workers[i].vcpus[j].passes,
			    "VM %d vCPU %d completed no pass; ", i, j);
	WHY(do_scan && have_scan && !nr_scans, "no shrinker scan; ");
	WHY(do_scan && have_drop_caches && !nr_drops, "no drop_caches; ");
	WHY(do_memslot && !nr_slot_changes, "no memslot change; ");
	WHY(do_memslot && !churn_passes, "the churn vCPU completed no pass; ");
	WHY(do_limit && !nr_limit_changes, "no KVM_SET_NR_MMU_PAGES; ");
	/* The TDP MMU ignores the limit; the shadow MMU must have zapped. */
	WHY(do_limit && !hung && !strcmp(tdp_mmu, "N") && !recycled,
	    "the page limit never made KVM zap (mmu_recycled=0); ");
	WHY(do_vmchurn && !nr_vms_destroyed, "no VM created and destroyed; ");
	WHY(do_dirty && !nr_dirty_toggles, "no dirty logging toggle; ");
	/* A pressure that never reached kswapd tested nothing. */
	WHY(do_reclaim && !nr_kswapd_runs, "kswapd never ran during a fill; ");
	WHY(do_nx && !nr_nx_toggles, "no nx_huge_pages toggle; ");
#undef WHY
	if (reason[0]) {
		reason[strlen(reason) - 2] = 0;
		printf("result=fail %s\n", reason);
	} else {
		printf("result=pass\n");
	}
	fflush(stdout);
	/* A hung thread may still use the VMs: do not free them. */
	if (hung)
		_exit(KSFT_FAIL);

	if (churn_vm)
		kvm_vm_free(churn_vm);
	for (i = 0; i < nr_vms; i++) {
		kvm_vm_free(workers[i].vm);
		free(workers[i].vcpus);
	}
	for (i = 0; i < 1 + nr_vms; i++)
		if (slots[i].hva)
			munmap(slots[i].hva, CHURN_SIZE);
	free(slots);
	free(drop_us);
	free(workers);
	if (have_scan)
		globfree(&scan_glob);
	return reason[0] ? KSFT_FAIL : KSFT_PASS;
}
