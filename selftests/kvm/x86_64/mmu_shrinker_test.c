// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu_shrinker_test: the x86-mmu shrinker frees the free pages of the MMU
 * memory caches and never zaps a shadow page that is in use.
 *
 * Several vCPUs fault in their own memory with a known pattern, and the
 * shrinker is driven through its debugfs count/scan files and drop_caches.
 * Checked: pages cached by the faults are counted; scans and drop_caches
 * zap no shadow page (mmu_shadow_zapped) and leave the count at 0 while
 * the vCPUs are idle; new faults refill the caches; the guest's memory
 * stays intact, also while a scan loop races vCPUs that refault it.
 *
 * Runs with any MMU: shadow paging, the shadow MMU with TDP, the TDP MMU.
 * The count is global: when other VMs exist, the checks that the count
 * drops to 0 are skipped.
 */
#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#define MAX_VCPUS		16
#define DEFAULT_VCPUS		4
#define DEFAULT_MEM_MB		8
#define DEFAULT_DURATION	5
#define DATA_SLOT		1
#define DATA_GPA		0x40000000ull	/* identity-mapped */

enum { CMD_WRITE = 1, CMD_VERIFY, CMD_FRESH, CMD_CHURN };

/* Shared with the guest. */
static uint64_t guest_cmd;
static uint64_t guest_pages;
static uint64_t guest_main_gva[MAX_VCPUS];
static uint64_t guest_fresh_gva[MAX_VCPUS];

static uint64_t pattern(uint64_t gva)
{
	return gva ^ 0x9e3779b97f4a7c15ull;
}

/* Touch every page of one region; return the number of bad words. */
static uint64_t guest_pass(uint64_t base, bool verify)
{
	uint64_t i, bad = 0;

	for (i = 0; i < guest_pages; i++) {
		uint64_t *p = (uint64_t *)(base + i * PAGE_SIZE);

		if (verify)
			bad += *p != pattern((uint64_t)p);
		else
			*p = pattern((uint64_t)p);
	}
	return bad;
}

static void guest_code(uint32_t id)
{
	for (;;) {
		uint64_t bad = 0;

		switch (READ_ONCE(guest_cmd)) {
		case CMD_WRITE:
			guest_pass(guest_main_gva[id], false);
			break;
		case CMD_VERIFY:
			bad = guest_pass(guest_main_gva[id], true);
			break;
		case CMD_FRESH:
			guest_pass(guest_fresh_gva[id], false);
			break;
		case CMD_CHURN:
			/* The host dropped this region's mappings: refault it. */
			guest_pass(guest_fresh_gva[id], false);
			bad = guest_pass(guest_fresh_gva[id], true);
			break;
		}
		GUEST_SYNC(bad);
	}
}

static struct kvm_vm *vm;
static struct kvm_vcpu *vcpus[MAX_VCPUS];
static int nr_vcpus = DEFAULT_VCPUS;
static char shrinker_dir[256];

static uint64_t vcpu_round(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		return uc.args[1];
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
	default:
		TEST_FAIL("vCPU %u: unexpected exit %s", vcpu->id,
			  exit_reason_str(vcpu->run->exit_reason));
	}
	return 0;
}

/* One pass of @cmd on every vCPU, one after another; returns bad words. */
static uint64_t run_all(uint64_t cmd)
{
	uint64_t bad = 0;
	int i;

	guest_cmd = cmd;
	sync_global_to_guest(vm, guest_cmd);
	for (i = 0; i < nr_vcpus; i++)
		bad += vcpu_round(vcpus[i]);
	return bad;
}

/* Sum of the per-node counts; an empty file (SHRINK_EMPTY) is 0. */
static uint64_t shrinker_count(void)
{
	char path[300], line[256], *p, *end;
	uint64_t sum = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/count", shrinker_dir);
	f = fopen(path, "r");
	TEST_ASSERT(f, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		strtoull(line, &p, 10);		/* memcg inode */
		for (;;) {
			uint64_t v = strtoull(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
	}
	fclose(f);
	return sum;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int r;

	TEST_ASSERT(fd >= 0, "open %s", path);
	r = write(fd, s, strlen(s));
	TEST_ASSERT(r == (int)strlen(s), "write '%s' to %s", s, path);
	close(fd);
}

static void shrinker_scan(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/scan", shrinker_dir);
	write_file(path, "0 0 1000000");
}

static void drop_slab_caches(void)
{
	write_file("/proc/sys/vm/drop_caches", "2");
}

/* Concurrent phase: vCPUs refault a region while the host scans. */
static bool stop_churn;
static uint64_t region_bytes;

struct churn {
	int id;
	uint64_t rounds, bad;
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	void *hva = addr_gva2hva(vm, guest_fresh_gva[c->id]);

	while (!READ_ONCE(stop_churn)) {
		/* Zaps the SPTEs through the MMU notifier: the guest refaults. */
		TEST_ASSERT(!madvise(hva, region_bytes, MADV_DONTNEED), "madvise");
		c->bad += vcpu_round(vcpus[c->id]);
		c->rounds++;
	}
	return NULL;
}

/* VMs on the host: one directory "<pid>-<fd>" each in KVM's debugfs. */
static int nr_vms_on_host(void)
{
	glob_t g;
	int n;

	if (glob("/sys/kernel/debug/kvm/[0-9]*-[0-9]*", GLOB_ONLYDIR, NULL, &g))
		return 1;
	n = g.gl_pathc;
	globfree(&g);
	return n;
}

/* The count can only be checked for 0 if no other VM feeds it. */
static void count_is_zero(uint64_t count, const char *what)
{
	int vms = nr_vms_on_host();

	if (vms > 1)
		ksft_test_result_skip("%s: count %lu, but %d other VMs share it\n",
				      what, count, vms - 1);
	else
		ksft_test_result(!count, "%s: count %lu\n", what, count);
}

static void help(char *name)
{
	printf("usage: %s [-h] [-v vcpus] [-m mb] [-d seconds]\n", name);
	printf(" -v: number of vCPUs (1-%d, default %d)\n", MAX_VCPUS, DEFAULT_VCPUS);
	printf(" -m: MiB of memory each vCPU faults in, twice (default %d)\n",
	       DEFAULT_MEM_MB);
	printf(" -d: seconds of scans racing faulting vCPUs (default %d)\n",
	       DEFAULT_DURATION);
	printf(" -h: print this message\n");
	exit(0);
}

int main(int argc, char *argv[])
{
	uint64_t count, z0, zapped, bad, scans = 0, rounds = 0;
	int duration = DEFAULT_DURATION;
	uint64_t mem_mb = DEFAULT_MEM_MB;
	struct churn churn[MAX_VCPUS];
	pthread_t threads[MAX_VCPUS];
	struct timespec start;
	glob_t g;
	int opt, i;

	while ((opt = getopt(argc, argv, "hv:m:d:")) != -1) {
		switch (opt) {
		case 'v':
			nr_vcpus = atoi(optarg);
			TEST_ASSERT(nr_vcpus >= 1 && nr_vcpus <= MAX_VCPUS,
				    "-v must be 1-%d", MAX_VCPUS);
			break;
		case 'm':
			mem_mb = atoi(optarg);
			TEST_ASSERT(mem_mb >= 1 && mem_mb <= 1024, "-m must be 1-1024");
			break;
		case 'd':
			duration = atoi(optarg);
			TEST_ASSERT(duration >= 1, "-d must be >= 1");
			break;
		case 'h':
		default:
			help(argv[0]);
		}
	}

	TEST_REQUIRE(!glob("/sys/kernel/debug/shrinker/x86-mmu-*", 0, NULL, &g));
	snprintf(shrinker_dir, sizeof(shrinker_dir), "%s", g.gl_pathv[0]);
	globfree(&g);
	TEST_REQUIRE(!access("/proc/sys/vm/drop_caches", W_OK));

	region_bytes = mem_mb << 20;
	guest_pages = region_bytes / PAGE_SIZE;
	/* The extra pages size memslot 0 for the data's guest page tables. */
	vm = __vm_create_with_vcpus(VM_SHAPE_DEFAULT, nr_vcpus,
				    2 * nr_vcpus * guest_pages, guest_code, vcpus);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA, DATA_SLOT,
				    2 * nr_vcpus * guest_pages, 0);
	virt_map(vm, DATA_GPA, DATA_GPA, 2 * nr_vcpus * guest_pages);
	for (i = 0; i < nr_vcpus; i++) {
		guest_main_gva[i] = DATA_GPA + 2 * i * region_bytes;
		guest_fresh_gva[i] = guest_main_gva[i] + region_bytes;
		vcpu_args_set(vcpus[i], 1, i);
	}
	sync_global_to_guest(vm, guest_pages);
	sync_global_to_guest(vm, guest_main_gva);
	sync_global_to_guest(vm, guest_fresh_gva);

	ksft_print_header();
	ksft_set_plan(9);
	ksft_print_msg("%s, %d vCPUs x %lu MiB, TDP %s\n", shrinker_dir,
		       nr_vcpus, mem_mb, kvm_is_tdp_enabled() ? "on" : "off");

	/* Faulting in the memory leaves pages in the vCPUs' caches. */
	run_all(CMD_WRITE);
	count = shrinker_count();
	ksft_test_result(count > 0, "faults leave cached pages: count %lu\n", count);

	/* Scans: no shadow page is zapped, the idle vCPUs' caches empty. */
	z0 = vm_get_stat(vm, "mmu_shadow_zapped");
	for (i = 0; i < 3; i++)
		shrinker_scan();
	count = shrinker_count();
	zapped = vm_get_stat(vm, "mmu_shadow_zapped") - z0;
	ksft_test_result(!zapped, "scans zap no shadow page: %lu zapped\n", zapped);
	count_is_zero(count, "scans empty the caches of idle vCPUs");
	bad = run_all(CMD_VERIFY);
	ksft_test_result(!bad, "guest memory intact after scans: %lu bad pages\n", bad);

	/* New faults refill the caches; drop_caches empties them again. */
	run_all(CMD_FRESH);
	count = shrinker_count();
	ksft_test_result(count > 0, "new faults refill the caches: count %lu\n", count);
	z0 = vm_get_stat(vm, "mmu_shadow_zapped");
	drop_slab_caches();
	count = shrinker_count();
	zapped = vm_get_stat(vm, "mmu_shadow_zapped") - z0;
	ksft_test_result(!zapped, "drop_caches zaps no shadow page: %lu zapped\n",
			 zapped);
	count_is_zero(count, "drop_caches empties the caches of idle vCPUs");

	/* A scan loop racing vCPUs that refault their memory. */
	alarm(duration + 120);	/* a hang kills the test */
	guest_cmd = CMD_CHURN;
	sync_global_to_guest(vm, guest_cmd);
	for (i = 0; i < nr_vcpus; i++)
		churn[i] = (struct churn){ .id = i };
	z0 = vm_get_stat(vm, "mmu_shadow_zapped");
	for (i = 0; i < nr_vcpus; i++)
		pthread_create(&threads[i], NULL, churn_thread, &churn[i]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (timespec_to_ns(timespec_elapsed(start)) < duration * NSEC_PER_SEC) {
		shrinker_scan();
		if (!(++scans % 8))
			drop_slab_caches();
		usleep(10000);
	}
	WRITE_ONCE(stop_churn, true);
	bad = 0;
	for (i = 0; i < nr_vcpus; i++) {
		pthread_join(threads[i], NULL);
		bad += churn[i].bad;
		rounds += churn[i].rounds;
		TEST_ASSERT(churn[i].rounds, "vCPU %d made no progress", i);
	}
	alarm(0);
	zapped = vm_get_stat(vm, "mmu_shadow_zapped") - z0;
	bad += run_all(CMD_VERIFY);
	ksft_print_msg("race: %lu scans, %lu vCPU rounds\n", scans, rounds);
	ksft_test_result(!bad, "scans racing refaulting vCPUs: memory intact, %lu bad pages\n",
			 bad);
	ksft_test_result(!zapped, "scans racing refaulting vCPUs: %lu shadow pages zapped\n",
			 zapped);

	kvm_vm_free(vm);
	ksft_finished();
}
