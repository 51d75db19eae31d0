/*
 * fuzz_driver.c
 *	  Plain main() for a fuzz target, so that the GMP comparison runs in
 *	  every `make check` without libFuzzer.
 *
 *	  fuzz_xxx_driver [-n COUNT] [-seed SEED] [-corpus DIR K] [FILE...]
 *
 * Without FILE arguments it runs COUNT (default 200000) inputs from the
 * target's deterministic generator and prints TAP, one test per check
 * category.  With FILE arguments it runs those files instead (e.g. a crash
 * file written by libFuzzer).  -corpus writes K generated inputs into DIR
 * (libFuzzer seed corpus) and exits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

#define GEN_CAP 8192

static int
run_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t    *buf;
	long		len;

	if (!f)
	{
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t) len + 1);
	if (fread(buf, 1, (size_t) len, f) != (size_t) len)
	{
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	fuzz_set_input(buf, (size_t) len);
	LLVMFuzzerTestOneInput(buf, (size_t) len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	long		count = 200000;
	uint64_t	seed = 0x78706865726531ULL;	/* "xphere1" */
	const char *corpus_dir = NULL;
	long		corpus_n = 0;
	int			nfiles = 0;
	uint8_t    *buf = malloc(GEN_CAP);
	unsigned long long total_fails = 0;
	uint64_t	rng;

	fuzz_keep_going = 1;
	for (int i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			count = atol(argv[++i]);
		else if (strcmp(argv[i], "-seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "-corpus") == 0 && i + 2 < argc)
		{
			corpus_dir = argv[++i];
			corpus_n = atol(argv[++i]);
		}
		else
		{
			if (run_file(argv[i]) != 0)
				return 2;
			nfiles++;
		}
	}

	rng = seed;
	if (corpus_dir)
	{
		mkdir(corpus_dir, 0777);
		for (long i = 0; i < corpus_n; i++)
		{
			char		path[4096];
			size_t		len = fuzz_generate(&rng, buf, GEN_CAP);
			FILE	   *f;

			snprintf(path, sizeof(path), "%s/seed-%05ld", corpus_dir, i);
			f = fopen(path, "wb");
			if (!f || fwrite(buf, 1, len, f) != len)
			{
				fprintf(stderr, "%s: %s\n", path, strerror(errno));
				return 2;
			}
			fclose(f);
		}
		return 0;
	}

	if (nfiles == 0)
	{
		for (long i = 0; i < count; i++)
		{
			size_t		len = fuzz_generate(&rng, buf, GEN_CAP);

			fuzz_set_input(buf, len);
			LLVMFuzzerTestOneInput(buf, len);
		}
	}

	printf("1..%d\n", fuzz_ncats);
	for (int c = 0; c < fuzz_ncats; c++)
	{
		/* a category that was never checked is a failure of the generator */
		int			good = fuzz_cats[c].fails == 0 && (fuzz_cats[c].checks > 0 || nfiles > 0);

		printf("%s %d - %s %s: %llu checks, %llu failures (%ld inputs)\n",
			   good ? "ok" : "not ok", c + 1, fuzz_target_name, fuzz_cats[c].name,
			   fuzz_cats[c].checks, fuzz_cats[c].fails, nfiles ? (long) nfiles : count);
		if (!good)
			total_fails++;
	}
	printf("%s: %llu passed, %llu failed\n", fuzz_target_name,
		   (unsigned long long) fuzz_ncats - total_fails, total_fails);
	free(buf);
	return total_fails ? 1 : 0;
}
