/*
 * digest.c - identifiers and digests for WARC and the retry jitter:
 * SHA-1 in base32 (WARC 1.1 section 5.8 recommends "sha1:" + base32),
 * random record ids, times.
 */
#include "fetch_int.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

void fch__sha1_base32(const void *data, size_t n, char out[38])
{
	fch__sha1_base32_pair(data, n, "", 0, out);
}

void fch__sha1_base32_pair(const void *a, size_t na, const void *b, size_t nb, char out[38])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *o = out;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	memset(md, 0, sizeof md);
	if (ctx) {
		EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
		EVP_DigestUpdate(ctx, a, na);
		EVP_DigestUpdate(ctx, b, nb);
		EVP_DigestFinal_ex(ctx, md, &mdlen);
		EVP_MD_CTX_free(ctx);
	}
	memcpy(o, "sha1:", 5);
	o += 5;
	/* 20 bytes = 160 bits = exactly 32 base32 digits, so no padding. */
	for (unsigned i = 0; i < 20; i += 5) {
		uint64_t v = 0;
		for (unsigned k = 0; k < 5; k++)
			v = v << 8 | md[i + k];
		for (int k = 7; k >= 0; k--)
			*o++ = alphabet[(v >> (k * 5)) & 31];
	}
	*o = '\0';
}

static void random_bytes(unsigned char *b, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(b + got, n - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	/* getrandom cannot fail after boot on Linux; should it, ids must
	 * still differ within a run. */
	for (; got < n; got++)
		b[got] = (unsigned char)rand();
}

void fch__record_id(char out[48])
{
	unsigned char u[16];

	random_bytes(u, sizeof u);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 48,
		 "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
}

void fch__iso_time(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double fch__random_unit(void)
{
	uint64_t v;
	random_bytes((unsigned char *)&v, sizeof v);
	return (double)(v >> 11) / (double)(1ULL << 53);
}
