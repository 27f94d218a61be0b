// SPDX-License-Identifier: GPL-2.0
/*
 * mmusim - replay a stream of shadow page lookups against the reclaim
 * policies of KVM's shadow MMU, to see how close FIFO (today's order), LRU
 * on lookup (the project's patch) and LRU with parent promotion get to
 * Belady's OPT.
 *
 * Host side, plain C, libc only.  Build with "make -C scripts/sim [O=dir]"
 * (default O=build/sim).
 *
 *   mmusim [-l LIMIT[,LIMIT...]] [-p POLICY[,POLICY...]|all] [-m MIN_FREE]
 *          [-r REFILL] [--csv] <trace.csv | ->
 *
 * "mmusim --help" prints the full usage; keep it and this comment in step.
 *
 * Input
 * -----
 * A CSV file with a header line naming at least the columns key, level,
 * created and root (scripts/sim/trace2sim.sh makes one from the
 * kvmmmu:kvm_mmu_get_page tracepoint): one line per lookup of a shadow
 * page, in trace order.  key is an opaque string naming the page (gfn and
 * role), level its level, created 1 if the kernel built the page (only
 * counted, to compare with the kernel's mmu_cache_miss), root the page's
 * root count (> 0: an active root).  Cells are separated by commas,
 * without quoting; blank lines and lines starting with '#' are skipped.
 *
 * Model
 * -----
 * The VM holds at most LIMIT shadow pages (n_max_mmu_pages).  A lookup of
 * a resident key is a hit.  Any other lookup is a miss that creates the
 * page; before it, as make_mmu_pages_available() does, if LIMIT - used <
 * MIN_FREE, (REFILL - (LIMIT - used)) pages are evicted (used > LIMIT
 * counts as 0 available), fewer if not enough can be.  A key seen with
 * root > 0 is pinned from that lookup to the end of the trace: KVM never
 * zaps a page with a root count.  When nothing can be evicted and the
 * miss still finds the VM full, the page is created anyway and counted in
 * "over" (where KVM would fail the fault with -ENOSPC).
 *
 *   fifo        evict the oldest page; hits do not reorder (KVM today)
 *   lru         a hit moves the page to the head; evict from the tail
 *   lru-parent  lru, plus every lookup at level L moves the last key
 *               looked up at level L + 1 to the head first, if it is still
 *               resident: a fault walks the tables top-down, so that key
 *               stands for the parent.  The trace does not say which page
 *               is the parent, so this is an approximation: a fault that
 *               skips levels or two interleaved vCPUs may pick another one
 *   slru        segmented LRU, scan resistant: a new page goes to the head
 *               of a probation list, a hit moves it to the head of a
 *               protected list of at most LIMIT / 2 pages (whose tail
 *               then drops back to the head of probation); evict from
 *               probation's tail, from protected's when probation is empty.
 *               A loop over more pages than the limit churns probation
 *               only, and pages hit twice stay
 *   opt         Belady: evict the pages whose next lookup is the farthest
 *               away, pages never looked up again first
 *
 * All policies work under the same batch eviction and pinning rules, so
 * opt is Belady's rule under KVM's constraints, not an unconstrained
 * optimum.  Counters per policy and limit: lookups; misses (every page
 * creation, the first one included: what KVM's mmu_cache_miss counts);
 * rebuilds (misses of keys seen before, i.e. evicted earlier); evictions;
 * over; and where the policy and the trace's created column disagree:
 * hit_built (a hit on a lookup the kernel built anew) and miss_found (a
 * miss on a lookup the kernel found).  misses - trace_created is exactly
 * miss_found - hit_built: for the kernel's own order, hit_built counts the
 * pages the kernel lost to something the trace does not show (a zap for a
 * guest write, an unsync child zapped with its parent, a role bit the
 * event does not print), miss_found what the model evicts that the kernel
 * kept (a root it cannot zap, a batch boundary).
 *
 * Cost: keys are interned to integer ids with a hash table; fifo, lru and
 * slru keep the evictable resident pages in doubly linked lists (O(1) per
 * event), opt keeps them in a binary max-heap on the precomputed index of
 * their next lookup (O(log n) per event).  Pinned pages leave the list or
 * heap for good, so they are never walked over.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hosttool.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NIL		UINT32_MAX	/* no key: empty list link, no parent */
#define NEVER		UINT32_MAX	/* next lookup of a key not looked up again */
#define MAX_LEVEL	63
#define MAX_FIELDS	64
#define DEF_MIN_FREE	5		/* KVM_MIN_FREE_MMU_PAGES */
#define DEF_REFILL	25		/* KVM_REFILL_PAGES */

/* Per-key state of a simulation. */
#define K_RESIDENT	0x1
#define K_PINNED	0x2
#define K_SEEN		0x4
#define K_PROT		0x8	/* slru: on the protected list */

enum policy { P_FIFO, P_LRU, P_LRU_PARENT, P_SLRU, P_OPT, P_NR };

static const char *const policy_name[P_NR] = {
	"fifo", "lru", "lru-parent", "slru", "opt",
};

static const char usage[] =
"mmusim [-l LIMIT[,LIMIT...]] [-p POLICY[,POLICY...]|all] [-m MIN_FREE]\n"
"       [-r REFILL] [--csv] <trace.csv | ->\n"
"\n"
"Replay a stream of shadow page lookups (one CSV line each, in trace order;\n"
"see scripts/sim/trace2sim.sh) against KVM shadow MMU reclaim policies.\n"
"\n"
"Options:\n"
"  -l, --limit LIMITS     VM shadow page limits (n_max_mmu_pages), each >= 1\n"
"                         (default 64,128,256)\n"
"  -p, --policy POLICIES  fifo, lru, lru-parent, slru, opt or all\n"
"                         (default all)\n"
"  -m, --min-free N       make room when LIMIT - used < N (default 5,\n"
"                         KVM_MIN_FREE_MMU_PAGES), N >= 1\n"
"  -r, --refill N         then evict N - (LIMIT - used) pages (default 25,\n"
"                         KVM_REFILL_PAGES), N >= MIN_FREE\n"
"      --csv              CSV output instead of a text table\n"
"  -h, --help             this text\n"
"\n"
"Input: a header line naming the columns key, level, created and root\n"
"(other columns are ignored), then one line per lookup.  key: an opaque\n"
"string naming the page; level: 0..63; created: 0 or 1; root: the page's\n"
"root count, > 0 pins the key from that line on.  Blank lines and lines\n"
"starting with '#' are skipped; \"-\" is stdin.\n"
"\n"
"Model: a lookup of a resident key is a hit, any other is a miss that\n"
"creates the page.  Before a miss, if LIMIT - used < MIN_FREE, evict\n"
"REFILL - (LIMIT - used) pages (fewer if not enough are evictable; used >\n"
"LIMIT counts as 0 available), never a pinned one.  A miss that still\n"
"finds the VM full goes over the limit and counts in \"over\".\n"
"  fifo        evict the oldest page, hits do not reorder (KVM today)\n"
"  lru         a hit moves the page to the head, evict from the tail\n"
"  lru-parent  lru, and a lookup at level L first moves the last key looked\n"
"              up at level L+1 (the inferred parent: faults walk top-down)\n"
"              to the head, if it is resident\n"
"  slru        segmented LRU: new pages on probation, a hit moves a page\n"
"              to a protected list of at most LIMIT/2 pages (its tail drops\n"
"              back to probation); evict probation's tail first\n"
"  opt         Belady: evict the pages looked up again farthest in the\n"
"              future, never-again first (same batch and pinning rules)\n"
"\n"
"Output: a line with lookups=, keys= (distinct), root_keys= (keys ever\n"
"seen with root > 0), trace_created= (lines with created=1, to compare with\n"
"the kernel's mmu_cache_miss; not used by the simulation), min_free= and\n"
"refill=, then per limit and policy: lookups, misses (every creation, the\n"
"first one included, as mmu_cache_miss), rebuilds (misses of keys seen\n"
"before, i.e. evicted earlier), evictions, over, hit_built (hits where the\n"
"trace says created=1) and miss_found (misses where it says created=0), and\n"
"in the text table miss% (misses / lookups) and vs_opt (misses / opt's\n"
"misses, \"-\" without opt).  --csv prints that line as a \"# mmusim: ...\"\n"
"comment, then policy,limit,lookups,misses,rebuilds,evictions,over,\n"
"hit_built,miss_found lines.\n"
"\n"
"Errors: one \"error: ...\" line on stderr, exit status 1.\n";

/* A whole string of decimal digits, no sign, no overflow. */
static bool parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && *end == '\0';
}

/* ---------------------------------------------------------------- trace */

struct trace {
	const char *path;
	/* one entry per lookup */
	uint32_t *key;
	uint8_t *level;
	uint8_t *root;
	uint8_t *built;		/* created: the kernel built the page here */
	uint32_t *next;		/* index of the key's next lookup (opt only) */
	size_t n, cap;
	/* interned keys: open addressing, tab[] holds id + 1, 0 is empty */
	char **name;
	uint32_t *hash;
	uint32_t nkeys, kcap;
	uint32_t *tab;
	size_t tabsz;
	unsigned long created;
	uint32_t root_keys;
};

/* FNV-1a: short keys, good enough spread for a power-of-two table. */
static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static void rehash(struct trace *t)
{
	size_t i, mask;
	uint32_t id;

	free(t->tab);
	t->tabsz = t->tabsz ? 2 * t->tabsz : 1024;
	t->tab = xcalloc(t->tabsz, sizeof(*t->tab));
	mask = t->tabsz - 1;
	for (id = 0; id < t->nkeys; id++) {
		for (i = t->hash[id] & mask; t->tab[i]; i = (i + 1) & mask)
			;
		t->tab[i] = id + 1;
	}
}

static uint32_t intern(struct trace *t, const char *s)
{
	uint32_t h = hash_str(s), id;
	size_t i, mask = t->tabsz - 1;

	for (i = h & mask; t->tab[i]; i = (i + 1) & mask) {
		id = t->tab[i] - 1;
		if (t->hash[id] == h && !strcmp(t->name[id], s))
			return id;
	}
	if (t->nkeys == NIL - 1)
		die("%s: too many distinct keys", t->path);
	if (t->nkeys == t->kcap) {
		t->kcap = t->kcap ? 2 * t->kcap : 1024;
		t->name = xrealloc(t->name, t->kcap * sizeof(*t->name));
		t->hash = xrealloc(t->hash, t->kcap * sizeof(*t->hash));
	}
	id = t->nkeys++;
	t->name[id] = xstrdup(s);
	t->hash[id] = h;
	t->tab[i] = id + 1;
	/* keep the load under one half: probes stay short */
	if (2 * (size_t)t->nkeys > t->tabsz)
		rehash(t);
	return id;
}

static int split(char *line, char **field)
{
	char *p = line, *comma;
	int nf = 0;

	for (;;) {
		if (nf == MAX_FIELDS)
			return -1;
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		field[nf++] = trim(p);
		if (!comma)
			return nf;
		p = comma + 1;
	}
}

static void read_trace(struct trace *t, const char *path)
{
	static const char *const cols[] = { "key", "level", "created", "root" };
	int col[ARRAY_SIZE(cols)], nhdr = -1, nf, i;
	char *line = NULL, *s, *field[MAX_FIELDS];
	unsigned long lineno = 0, v;
	bool *is_root;
	size_t cap = 0, j;
	uint32_t id;
	FILE *f;

	t->path = path;
	if (!strcmp(path, "-")) {
		f = stdin;
		t->path = "<stdin>";
	} else {
		f = fopen(path, "r");
		if (!f)
			die("%s: %s", path, strerror(errno));
	}
	rehash(t);
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		nf = split(s, field);
		if (nf < 0)
			die("%s:%lu: more than %d fields", t->path, lineno,
			    MAX_FIELDS);
		if (nhdr < 0) {
			nhdr = nf;
			for (i = 0; i < (int)ARRAY_SIZE(cols); i++) {
				for (col[i] = 0; col[i] < nf; col[i]++)
					if (!strcmp(field[col[i]], cols[i]))
						break;
				if (col[i] == nf)
					die("%s: missing column '%s'", t->path,
					    cols[i]);
			}
			continue;
		}
		if (nf != nhdr)
			die("%s:%lu: %d field%s, the header has %d", t->path,
			    lineno, nf, nf == 1 ? "" : "s", nhdr);
		if (t->n == NEVER - 1)
			die("%s: too many lines", t->path);
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 4096;
			t->key = xrealloc(t->key, t->cap * sizeof(*t->key));
			t->level = xrealloc(t->level, t->cap * sizeof(*t->level));
			t->root = xrealloc(t->root, t->cap * sizeof(*t->root));
			t->built = xrealloc(t->built, t->cap * sizeof(*t->built));
		}
		s = field[col[0]];
		if (!*s)
			die("%s:%lu: empty 'key'", t->path, lineno);
		t->key[t->n] = intern(t, s);
		s = field[col[1]];
		if (!parse_ulong(s, &v) || v > MAX_LEVEL)
			die("%s:%lu: column 'level': '%s' is not an integer 0..%d",
			    t->path, lineno, s, MAX_LEVEL);
		t->level[t->n] = v;
		s = field[col[2]];
		if (strcmp(s, "0") && strcmp(s, "1"))
			die("%s:%lu: column 'created': '%s' is not 0 or 1",
			    t->path, lineno, s);
		t->created += *s == '1';
		t->built[t->n] = *s == '1';
		s = field[col[3]];
		if (!parse_ulong(s, &v))
			die("%s:%lu: column 'root': '%s' is not a root count",
			    t->path, lineno, s);
		t->root[t->n] = v > 0;
		t->n++;
	}
	if (ferror(f))
		die("%s: read error: %s", t->path, strerror(errno));
	if (f != stdin)
		fclose(f);
	free(line);
	if (nhdr < 0)
		die("%s: empty file, no header line", t->path);
	if (!t->n)
		die("%s: no lookup in the trace", t->path);

	is_root = xcalloc(t->nkeys, sizeof(*is_root));
	for (j = 0; j < t->n; j++) {
		id = t->key[j];
		if (t->root[j] && !is_root[id]) {
			is_root[id] = true;
			t->root_keys++;
		}
	}
	free(is_root);
}

static void free_trace(struct trace *t)
{
	uint32_t id;

	for (id = 0; id < t->nkeys; id++)
		free(t->name[id]);
	free(t->name);
	free(t->hash);
	free(t->tab);
	free(t->key);
	free(t->level);
	free(t->root);
	free(t->built);
	free(t->next);
}

/* next[i]: index of the next lookup of key[i], NEVER if there is none. */
static void next_uses(struct trace *t)
{
	uint32_t *last = xrealloc(NULL, t->nkeys * sizeof(*last));
	size_t i;

	t->next = xrealloc(NULL, t->n * sizeof(*t->next));
	memset(last, 0xff, t->nkeys * sizeof(*last));	/* NEVER */
	for (i = t->n; i-- > 0;) {
		t->next[i] = last[t->key[i]];
		last[t->key[i]] = i;
	}
	free(last);
}

/* ----------------------------------------------------------- simulation */

struct counts {
	unsigned long long lookups, misses, rebuilds, evictions, over;
	unsigned long long hit_built, miss_found;
};

struct sim {
	const struct trace *t;
	enum policy pol;
	unsigned long limit, min_free, refill, used;
	uint8_t *flags;
	/*
	 * fifo, lru: evictable resident keys in list 0, head = newest; slru:
	 * probation in list 0, protected (K_PROT, nprot keys) in list 1.
	 */
	uint32_t *prev, *next, head[2], tail[2], nprot;
	/* opt: max-heap of evictable resident keys on nuse[] */
	uint32_t *heap, *hpos, *nuse, nheap;
	uint32_t last[MAX_LEVEL + 2];	/* last key looked up per level */
	struct counts c;
};

/* Which list key k is on: 1 for slru's protected keys, else 0. */
static int list_of(const struct sim *s, uint32_t k)
{
	return !!(s->flags[k] & K_PROT);
}

static void list_del(struct sim *s, uint32_t k)
{
	int q = list_of(s, k);

	if (s->prev[k] != NIL)
		s->next[s->prev[k]] = s->next[k];
	else
		s->head[q] = s->next[k];
	if (s->next[k] != NIL)
		s->prev[s->next[k]] = s->prev[k];
	else
		s->tail[q] = s->prev[k];
}

static void list_add_head(struct sim *s, uint32_t k)
{
	int q = list_of(s, k);

	s->prev[k] = NIL;
	s->next[k] = s->head[q];
	if (s->head[q] != NIL)
		s->prev[s->head[q]] = k;
	else
		s->tail[q] = k;
	s->head[q] = k;
}

/* slru: put key k, off its list, in protected or in probation (nprot). */
static void set_prot(struct sim *s, uint32_t k, bool prot)
{
	if (prot == !!(s->flags[k] & K_PROT))
		return;
	s->flags[k] ^= K_PROT;
	if (prot)
		s->nprot++;
	else
		s->nprot--;
}

/* slru: move key k between probation and protected, to the new list's head. */
static void slru_move(struct sim *s, uint32_t k, bool prot)
{
	list_del(s, k);
	set_prot(s, k, prot);
	list_add_head(s, k);
}

/* Should key a leave before key b?  Ties broken by id, to be deterministic. */
static bool heap_before(const struct sim *s, uint32_t a, uint32_t b)
{
	return s->nuse[a] > s->nuse[b] || (s->nuse[a] == s->nuse[b] && a > b);
}

static void heap_set(struct sim *s, uint32_t pos, uint32_t k)
{
	s->heap[pos] = k;
	s->hpos[k] = pos;
}

static void heap_fix(struct sim *s, uint32_t pos)
{
	uint32_t k = s->heap[pos], up, c;

	while (pos > 0) {
		up = (pos - 1) / 2;
		if (!heap_before(s, k, s->heap[up]))
			break;
		heap_set(s, pos, s->heap[up]);
		pos = up;
	}
	for (;;) {
		c = 2 * pos + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && heap_before(s, s->heap[c + 1], s->heap[c]))
			c++;
		if (!heap_before(s, s->heap[c], k))
			break;
		heap_set(s, pos, s->heap[c]);
		pos = c;
	}
	heap_set(s, pos, k);
}

static void heap_del(struct sim *s, uint32_t k)
{
	uint32_t pos = s->hpos[k], last = s->heap[--s->nheap];

	if (pos != s->nheap) {
		heap_set(s, pos, last);
		heap_fix(s, pos);
	}
}

/* Make resident key k evictable; i is the index of its lookup. */
static void track(struct sim *s, uint32_t k, size_t i)
{
	if (s->pol == P_OPT) {
		s->nuse[k] = s->t->next[i];
		heap_set(s, s->nheap++, k);
		heap_fix(s, s->nheap - 1);
	} else {
		list_add_head(s, k);
	}
}

static void untrack(struct sim *s, uint32_t k)
{
	if (s->pol == P_OPT) {
		heap_del(s, k);
		return;
	}
	list_del(s, k);
	set_prot(s, k, false);
}

/* A hit on evictable key k at lookup i. */
static void touch(struct sim *s, uint32_t k, size_t i)
{
	switch (s->pol) {
	case P_FIFO:
		break;
	case P_LRU:
	case P_LRU_PARENT:
		list_del(s, k);
		list_add_head(s, k);
		break;
	case P_SLRU:
		if (s->flags[k] & K_PROT) {
			list_del(s, k);
			list_add_head(s, k);
			break;
		}
		slru_move(s, k, true);
		/* at least one protected page, even at a limit of 1 */
		if (s->nprot > s->limit / 2 && s->nprot > 1)
			slru_move(s, s->tail[1], false);
		break;
	case P_OPT:
		s->nuse[k] = s->t->next[i];
		heap_fix(s, s->hpos[k]);
		break;
	case P_NR:
		break;
	}
}

static bool evict_one(struct sim *s)
{
	uint32_t k;

	if (s->pol == P_OPT) {
		if (!s->nheap)
			return false;
		k = s->heap[0];
	} else {
		/* probation first; only slru ever fills list 1 */
		k = s->tail[0] != NIL ? s->tail[0] : s->tail[1];
		if (k == NIL)
			return false;
	}
	untrack(s, k);
	s->flags[k] &= ~K_RESIDENT;
	s->used--;
	s->c.evictions++;
	return true;
}

/* make_mmu_pages_available(), with kvm_mmu_available_pages()'s clamp. */
static void make_room(struct sim *s)
{
	unsigned long avail = s->used < s->limit ? s->limit - s->used : 0;
	unsigned long nr;

	if (avail >= s->min_free)
		return;
	for (nr = s->refill - avail; nr && evict_one(s); nr--)
		;
}

static void simulate(struct sim *s)
{
	const struct trace *t = s->t;
	uint8_t *fl = s->flags;
	uint32_t k, p;
	size_t i;
	int l;

	memset(fl, 0, t->nkeys * sizeof(*fl));
	memset(s->last, 0xff, sizeof(s->last));		/* NIL */
	memset(&s->c, 0, sizeof(s->c));
	s->head[0] = s->tail[0] = s->head[1] = s->tail[1] = NIL;
	s->nprot = 0;
	s->nheap = 0;
	s->used = 0;

	for (i = 0; i < t->n; i++) {
		k = t->key[i];
		l = t->level[i];
		s->c.lookups++;
		/* an active root cannot be zapped: out of reach for good */
		if (t->root[i] && !(fl[k] & K_PINNED)) {
			if (fl[k] & K_RESIDENT)
				untrack(s, k);
			fl[k] |= K_PINNED;
		}
		/* before the eviction: the walk holds the parent */
		if (s->pol == P_LRU_PARENT) {
			p = s->last[l + 1];
			if (p != NIL && p != k && (fl[p] & K_RESIDENT) &&
			    !(fl[p] & K_PINNED)) {
				list_del(s, p);
				list_add_head(s, p);
			}
		}
		s->last[l] = k;

		if (fl[k] & K_RESIDENT) {
			s->c.hit_built += t->built[i];
			if (!(fl[k] & K_PINNED))
				touch(s, k, i);
			continue;
		}
		s->c.miss_found += !t->built[i];
		s->c.misses++;
		if (fl[k] & K_SEEN)
			s->c.rebuilds++;
		make_room(s);
		if (s->used >= s->limit)
			s->c.over++;
		fl[k] |= K_RESIDENT | K_SEEN;
		s->used++;
		if (!(fl[k] & K_PINNED))
			track(s, k, i);
	}
}

/* --------------------------------------------------------------- output */

struct result {
	bool ran;
	struct counts c;
};

static void print_results(const struct trace *t, struct sim *s,
			  const unsigned long *limits, size_t nlimits,
			  struct result (*res)[P_NR], bool csv)
{
	const struct counts *c, *o;
	char vs[32];
	size_t li;
	int p;

	if (csv) {
		printf("# mmusim: lookups=%zu keys=%u root_keys=%u trace_created=%lu min_free=%lu refill=%lu\n",
		       t->n, t->nkeys, t->root_keys, t->created, s->min_free,
		       s->refill);
		printf("policy,limit,lookups,misses,rebuilds,evictions,over,hit_built,miss_found\n");
	} else {
		printf("mmusim: %s\n", t->path);
		printf("lookups=%zu keys=%u root_keys=%u trace_created=%lu min_free=%lu refill=%lu\n",
		       t->n, t->nkeys, t->root_keys, t->created, s->min_free,
		       s->refill);
	}
	for (li = 0; li < nlimits; li++) {
		if (!csv)
			printf("\n%-10s %8s %10s %10s %10s %10s %8s %7s %7s\n",
			       "policy", "limit", "lookups", "misses",
			       "rebuilds", "evictions", "over", "miss%",
			       "vs_opt");
		o = res[li][P_OPT].ran ? &res[li][P_OPT].c : NULL;
		for (p = 0; p < P_NR; p++) {
			if (!res[li][p].ran)
				continue;
			c = &res[li][p].c;
			if (csv) {
				printf("%s,%lu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
				       policy_name[p], limits[li], c->lookups,
				       c->misses, c->rebuilds, c->evictions,
				       c->over, c->hit_built, c->miss_found);
				continue;
			}
			if (o && o->misses)
				snprintf(vs, sizeof(vs), "%.3f",
					 (double)c->misses / o->misses);
			else
				strcpy(vs, "-");
			printf("%-10s %8lu %10llu %10llu %10llu %10llu %8llu %7.2f %7s\n",
			       policy_name[p], limits[li], c->lookups,
			       c->misses, c->rebuilds, c->evictions, c->over,
			       100.0 * c->misses / c->lookups, vs);
		}
	}
}

/* ----------------------------------------------------------------- main */

static unsigned long *parse_limits(const char *arg, size_t *n)
{
	char *copy = xstrdup(arg), *p = copy, *comma;
	unsigned long *l = NULL;
	size_t cap = 0;

	*n = 0;
	for (;;) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			l = xrealloc(l, cap * sizeof(*l));
		}
		if (!parse_ulong(p, &l[*n]) || l[*n] < 1)
			die("bad limit '%s' (an integer >= 1)", p);
		(*n)++;
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
	return l;
}

static void parse_policies(const char *arg, bool *want)
{
	char *copy = xstrdup(arg), *p = copy, *comma;
	int i;

	memset(want, 0, P_NR * sizeof(*want));
	for (;;) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!strcmp(p, "all")) {
			for (i = 0; i < P_NR; i++)
				want[i] = true;
		} else {
			for (i = 0; i < P_NR; i++)
				if (!strcmp(p, policy_name[i]))
					break;
			if (i == P_NR)
				die("unknown policy '%s' (fifo, lru, lru-parent, slru, opt or all)",
				    p);
			want[i] = true;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
}

static unsigned long count_arg(const char *what, const char *arg)
{
	unsigned long v;

	if (!parse_ulong(arg, &v) || v < 1)
		die("bad %s '%s' (an integer >= 1)", what, arg);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit", required_argument, NULL, 'l' },
		{ "policy", required_argument, NULL, 'p' },
		{ "min-free", required_argument, NULL, 'm' },
		{ "refill", required_argument, NULL, 'r' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned long def_limits[] = { 64, 128, 256 };
	struct sim s = { .min_free = DEF_MIN_FREE, .refill = DEF_REFILL };
	struct trace t = { 0 };
	struct result (*res)[P_NR];
	unsigned long *limits = NULL;
	size_t nlimits = 0, li;
	bool want[P_NR], csv = false;
	int o, p;

	for (p = 0; p < P_NR; p++)
		want[p] = true;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "l:p:m:r:h", longopts, NULL)) != -1) {
		switch (o) {
		case 'l':
			free(limits);
			limits = parse_limits(optarg, &nlimits);
			break;
		case 'p':
			parse_policies(optarg, want);
			break;
		case 'm':
			s.min_free = count_arg("MIN_FREE", optarg);
			break;
		case 'r':
			s.refill = count_arg("REFILL", optarg);
			break;
		case 'c':
			csv = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			if (optopt && strchr("lpmr", optopt))
				die("option -%c needs a value (see mmusim --help)",
				    optopt);
			die("bad option '%s' (see mmusim --help)",
			    argv[optind - 1]);
		}
	}
	if (optind == argc)
		die("no trace file (see mmusim --help)");
	if (argc - optind > 1)
		die("one trace file expected, got %d (see mmusim --help)",
		    argc - optind);
	if (s.min_free > s.refill)
		die("MIN_FREE %lu > REFILL %lu", s.min_free, s.refill);
	if (!limits) {
		nlimits = ARRAY_SIZE(def_limits);
		limits = xrealloc(NULL, sizeof(def_limits));
		memcpy(limits, def_limits, sizeof(def_limits));
	}

	read_trace(&t, argv[optind]);
	if (want[P_OPT])
		next_uses(&t);

	s.t = &t;
	s.flags = xcalloc(t.nkeys, sizeof(*s.flags));
	s.prev = xcalloc(t.nkeys, sizeof(*s.prev));
	s.next = xcalloc(t.nkeys, sizeof(*s.next));
	if (want[P_OPT]) {
		s.heap = xcalloc(t.nkeys, sizeof(*s.heap));
		s.hpos = xcalloc(t.nkeys, sizeof(*s.hpos));
		s.nuse = xcalloc(t.nkeys, sizeof(*s.nuse));
	}
	res = xcalloc(nlimits, sizeof(*res));
	for (li = 0; li < nlimits; li++) {
		for (p = 0; p < P_NR; p++) {
			if (!want[p])
				continue;
			s.pol = p;
			s.limit = limits[li];
			simulate(&s);
			res[li][p].ran = true;
			res[li][p].c = s.c;
		}
	}
	print_results(&t, &s, limits, nlimits, res, csv);
	if (fflush(stdout) || ferror(stdout))
		die("write error: %s", strerror(errno));

	free(res);
	free(s.flags);
	free(s.prev);
	free(s.next);
	free(s.heap);
	free(s.hpos);
	free(s.nuse);
	free(limits);
	free_trace(&t);
	return 0;
}
