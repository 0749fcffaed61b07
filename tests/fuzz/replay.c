/*
 * replay TARGET PATH... — runs the fuzz target named TARGET (fuzz.h) over
 * every file in the directories (or files) given, so that `make check`
 * exercises each target's seed corpus and the inputs that once crashed it,
 * in the normal and sanitizer builds.  Exit status 0 when all ran (a crash
 * or sanitizer report is the failure; so is an input that runs longer than
 * INPUT_LIMIT_S: the fuzzers treat a hang as a bug too); prints how many
 * inputs it fed.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fuzz_scap(const uint8_t *data, size_t size);
int fuzz_filter(const uint8_t *data, size_t size);
int fuzz_ring(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} targets[] = {
	{ "scap", fuzz_scap },
	{ "filter", fuzz_filter },
	{ "ring", fuzz_ring },
};

/* Far above any input's run time under the sanitizers (milliseconds). */
#define INPUT_LIMIT_S 60

static char current[4096];

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "replay: this input ran longer than the limit (a hang): ";
	if (write(2, msg, sizeof msg - 1) < 0 || write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
		_exit(1);
	_exit(1);
}

static int feed(int (*fn)(const uint8_t *, size_t), const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *p = realloc(buf, cap);
			if (!p)
				abort();
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	snprintf(current, sizeof current, "%s", path);
	alarm(INPUT_LIMIT_S);
	fn(buf, len);
	alarm(0);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int (*fn)(const uint8_t *, size_t) = NULL;
	for (size_t i = 0; argc > 1 && i < sizeof targets / sizeof targets[0]; i++)
		if (!strcmp(argv[1], targets[i].name))
			fn = targets[i].fn;
	if (!fn) {
		fprintf(stderr, "usage: replay TARGET PATH...  (TARGET: scap, filter or ring)\n");
		return 2;
	}
	signal(SIGALRM, on_alarm);
	unsigned count = 0;
	for (int i = 2; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (feed(fn, argv[i]))
				return 1;
			count++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char path[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			if (feed(fn, path))
				return 1;
			count++;
		}
		if (d)
			closedir(d);
	}
	printf("%s: replayed %u inputs\n", argv[1], count);
	return count ? 0 : 1;
}
