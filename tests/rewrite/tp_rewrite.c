/*
 * tp_rewrite LIB MODE: exercises rewritten syscall sites (tests/rewrite).
 * LIB is libtpsites.so (tp_sites.S), dlopen'ed after start so that its
 * sites appear in a mapping made after the library armed.  Prints
 * "getppid_calls=N" (every getppid it made, for the test to count the
 * events) and exits 0, or prints FAIL lines and exits 1.
 *   det   deterministic: register preservation, the site shapes, the main
 *         program's own text unchanged, threads racing into a site while
 *         it is patched, a fork child, an exec'd image
 *   sig   a timer signal, handled on an alternate stack, landing in the
 *         middle of fast-path calls that its handler makes too
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static long (*s_getppid)(void), (*s_race)(void), (*s_riprel)(void), (*s_short)(long);
static long (*s_jcc)(int, void *, size_t);
static void (*s_regs)(uint64_t *);
static int *s_skip;
static long calls;              /* getppid calls made */
static pid_t ppid;
static int fails;

#define CHECK(c, ...) do { if (!(c)) { printf("FAIL: " __VA_ARGS__); printf("\n"); fails++; } } while (0)

static void load(const char *lib)
{
	void *h = dlopen(lib, RTLD_NOW);

	if (!h) {
		printf("FAIL: dlopen %s: %s\n", lib, dlerror());
		exit(1);
	}
	s_getppid = (long (*)(void))dlsym(h, "site_getppid");
	s_race = (long (*)(void))dlsym(h, "site_race");
	s_riprel = (long (*)(void))dlsym(h, "site_riprel");
	s_short = (long (*)(long))dlsym(h, "site_short");
	s_jcc = (long (*)(int, void *, size_t))dlsym(h, "site_jcc");
	s_regs = (void (*)(uint64_t *))dlsym(h, "site_regs");
	s_skip = (int *)dlsym(h, "skip");
	if (!s_getppid || !s_race || !s_riprel || !s_short || !s_jcc || !s_regs || !s_skip) {
		printf("FAIL: symbols missing in %s\n", lib);
		exit(1);
	}
}

/* A site in the main program's own text: never rewritten, so a program
 * that checksums its code sees what it was built with. */
__attribute__((noinline)) static long main_site(void)
{
	long r;

	__asm__ volatile("mov $110, %%eax\n\tsyscall" : "=a"(r) : : "rcx", "r11", "memory");
	return r;
}

static uint32_t sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* Every register a syscall keeps, kept; rcx and the flags as the
 * instruction leaves them. */
static void regs(int mode)
{
	uint64_t in[130], io[130];
	int i, k;

	for (k = 0; k < 40; k++) {      /* the first calls trap (one of them rewrites), the rest run fast */
		for (i = 0; i < 130; i++)
			in[i] = 0x0123456789abcdefull * (uint64_t)(i + 1 + 7 * k) ^ (uint64_t)i << 56;
		in[12] = (uint64_t)mode;
		memcpy(io, in, sizeof io);
		s_regs(io);
		calls++;
		CHECK((pid_t)io[13] == ppid, "regs mode %d: getppid returned %ld", mode, (long)io[13]);
		CHECK(io[14] & 0x400, "regs mode %d round %d: DF lost", mode, k);
		CHECK(io[15] == io[128], "regs mode %d round %d: rcx %#lx, want %#lx", mode, k, (unsigned long)io[15],
		      (unsigned long)io[128]);
		for (i = 0; i < 12; i++)
			CHECK(io[i] == in[i], "regs mode %d round %d: general register %d changed", mode, k, i);
		for (i = mode == 0 ? 16 : 48; i < (mode == 0 ? 48 : mode == 1 ? 112 : 128); i++)
			CHECK(io[i] == in[i], "regs mode %d round %d: vector word %d changed", mode, k, i);
	}
}

#define RACERS 4
#define RACE_N 2000
static pthread_barrier_t bar;

static void *racer(void *arg)
{
	long i, bad = 0;

	(void)arg;
	pthread_barrier_wait(&bar);
	for (i = 0; i < RACE_N; i++)
		bad += s_race() != ppid;
	return (void *)bad;
}

static void race(void)
{
	pthread_t t[RACERS];
	void *bad;
	int i;

	pthread_barrier_init(&bar, NULL, RACERS);
	for (i = 0; i < RACERS; i++)
		pthread_create(&t[i], NULL, racer, NULL);
	for (i = 0; i < RACERS; i++) {
		pthread_join(t[i], &bad);
		CHECK(!bad, "racer %d: %ld wrong results", i, (long)bad);
	}
	calls += RACERS * RACE_N;
}

static void shapes(int n)
{
	char buf[16];
	int fd = open("/dev/zero", O_RDONLY), i;
	const void *code = (const void *)(uintptr_t)main_site;
	uint32_t before = sum(code, 32);

	for (i = 0; i < n; i++) {
		CHECK(s_getppid() == ppid, "site_getppid");
		CHECK(s_riprel() == ppid, "site_riprel");
		CHECK(s_jcc(fd, buf, sizeof buf) == (long)sizeof buf, "site_jcc read");
		CHECK(main_site() == ppid, "main_site");
		calls += 3;
	}
	*s_skip = 1;
	CHECK(s_jcc(fd, buf, sizeof buf) == -1, "site_jcc skipped");
	*s_skip = 0;
	CHECK(s_jcc(fd, buf, sizeof buf) == (long)sizeof buf, "site_jcc again");
	for (i = 0; i < 40; i++, calls++)
		CHECK(s_short(SYS_getppid) == ppid, "site_short");
	CHECK(sum(code, 32) == before, "the main program's text changed");
	close(fd);
}

static void child_side(int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s_getppid() != ppid)
			_exit(1);
}

static long handler_calls, handler_bad;

static void on_alarm(int sig)
{
	(void)sig;
	handler_calls++;
	handler_bad += s_getppid() != ppid;
	handler_bad += s_riprel() != ppid;
}

static void sig_mode(void)
{
	static char alt[16384];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
	struct sigaction sa = { 0 };
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	long i, bad = 0;

	sigaltstack(&ss, NULL);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 300000; i++) {
		bad += s_getppid() != ppid;
		bad += s_riprel() != ppid;
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK(!bad, "%ld wrong results with a timer running", bad);
	CHECK(!handler_bad, "%ld wrong results in the handler", handler_bad);
	CHECK(handler_calls > 0, "the timer never fired");
	calls += 2 * 300000 + 2 * handler_calls;
}

int main(int argc, char **argv)
{
	pid_t pid;
	int st;

	if (argc < 3)
		return 2;
	load(argv[1]);
	ppid = getppid();
	calls++;
	if (strcmp(argv[2], "exec") == 0) {     /* the exec'd image: nothing rewritten yet */
		shapes(50);
	} else if (strcmp(argv[2], "sig") == 0) {
		sig_mode();
	} else {
		regs(0);
		if (__builtin_cpu_supports("avx"))
			regs(1);
		if (__builtin_cpu_supports("avx512vl"))
			regs(2);
		shapes(200);
		race();
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			ppid = getppid();
			child_side(100);
			_exit(0);
		}
		CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork child");
		calls += 100 + 1;       /* and the child's own getppid */
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", argv[0], argv[1], "exec", (char *)NULL);
			_exit(127);
		}
		CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec'd image");
	}
	printf("getppid_calls=%ld\n", calls);
	return fails ? 1 : 0;
}
