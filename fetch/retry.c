/*
 * retry.c - when to try again: exponential backoff with jitter, the
 * server's Retry-After, and which statuses deserve a second attempt.
 */
#include "fetch_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long fch__backoff_ms(int attempt, long base_ms, long cap_ms, double unit)
{
	long wait = base_ms > 0 ? base_ms : 0;

	for (int i = 1; i < attempt && wait < cap_ms; i++)
		wait = wait > cap_ms / 2 ? cap_ms : wait * 2;
	if (wait > cap_ms)
		wait = cap_ms;
	if (unit < 0)
		unit = 0;
	if (unit >= 1)
		unit = 0.999999;
	/* Half fixed, half random: no herd, yet never much shorter than the
	 * exponential wait the server is owed. */
	return wait / 2 + (long)((double)(wait - wait / 2) * unit);
}

int fch__status_retryable(long status)
{
	/* 501 Not Implemented and 505 will not change on a second try. */
	return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the only date form
 * RFC 9110 requires senders to produce. */
static int parse_http_date(const char *s, time_t *out)
{
	char mon[4];
	int day, year, hh, mm, ss, n = 0;
	struct tm tm;

	while (*s && *s != ',')
		s++;
	if (*s != ',')
		return 0;
	if (sscanf(s + 1, " %d %3s %d %d:%d:%d GMT%n", &day, mon, &year, &hh, &mm, &ss, &n) != 6 || !n)
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_mon = -1;
	for (int i = 0; i < 12; i++)
		if (!strcmp(mon, months[i]))
			tm.tm_mon = i;
	if (tm.tm_mon < 0 || day < 1 || day > 31 || year < 1970 || hh > 23 || mm > 59 || ss > 60)
		return 0;
	tm.tm_mday = day;
	tm.tm_year = year - 1900;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

long fch__retry_after_ms(const char *value, time_t now)
{
	time_t when;

	if (!value)
		return -1;
	while (isspace((unsigned char)*value))
		value++;
	if (isdigit((unsigned char)*value)) {
		char *end;
		unsigned long secs = strtoul(value, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (*end)
			return -1;
		/* A day is already far past any wait we would honour. */
		return secs > 86400 ? 86400L * 1000 : (long)secs * 1000;
	}
	if (!parse_http_date(value, &when))
		return -1;
	return when <= now ? 0 : (when - now > 86400 ? 86400L * 1000 : (long)(when - now) * 1000);
}
