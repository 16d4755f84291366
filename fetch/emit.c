/*
 * emit.c - fetched bytes through the ingest stage and out as records.
 */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

void fch_emitter_init(fch_emitter *e, ing_ctx *ctx, const char *prog)
{
	memset(e, 0, sizeof *e);
	e->ctx = ctx;
	e->out = stdout;
	e->prog = prog;
	e->error_records = 1;
	sol_buf_init(&e->line, 0);
}

void fch_emitter_release(fch_emitter *e)
{
	sol_buf_release(&e->line);
}

static void write_line(fch_emitter *e)
{
	fwrite(e->line.data, 1, e->line.len, e->out);
	fputc('\n', e->out);
	/* Per document, so a downstream indexer sees progress and a crash
	 * loses at most the page in hand. */
	fflush(e->out);
}

void fch_emit_failure(fch_emitter *e, const char *source, const char *reason)
{
	sol_record r;
	sol_err err;

	e->failed++;
	if (!e->quiet)
		fprintf(stderr, "%s: %s\n", e->prog, reason);
	if (!e->error_records)
		return;
	sol_record_init(&r);
	r.source = (char *)source;
	r.error = (char *)reason;
	sol_buf_reset(&e->line);
	if (sol_record_to_json(&r, &e->line, &err) == SOL_OK)
		write_line(e);
}

static void process(fch_emitter *e, const ing_input *in)
{
	sol_record rec;
	sol_err err;
	sol_buf msg;

	sol_err_clear(&err);
	sol_buf_init(&msg, 0);
	if (ing_process(e->ctx, in, &rec, &err) != SOL_OK) {
		/* ingest's messages usually start with the source already. */
		if (strncmp(err.msg, in->source, strlen(in->source)))
			sol_buf_addf(&msg, "%s: %s", in->source, err.msg);
		else
			sol_buf_adds(&msg, err.msg);
		fch_emit_failure(e, in->source, msg.data ? msg.data : err.msg);
		goto out;
	}
	sol_buf_reset(&e->line);
	if (sol_record_to_json(&rec, &e->line, &err) != SOL_OK) {
		sol_buf_addf(&msg, "%s: %s", in->source, err.msg);
		fch_emit_failure(e, in->source, msg.data ? msg.data : err.msg);
	} else {
		write_line(e);
		e->ok++;
	}
	sol_record_release(&rec);
out:
	sol_buf_release(&msg);
}

void fch_emit_result(void *emitter, const fch_result *res)
{
	fch_emitter *e = emitter;
	ing_input in;

	if (res->outcome == FCH_FAILED) {
		fch_emit_failure(e, res->url, res->error ? res->error : "fetch failed");
		return;
	}
	if (res->outcome == FCH_UNCHANGED) {
		e->unchanged++;
		if (!e->quiet)
			fprintf(stderr, "unchanged: %s\n", res->url);
		return;
	}
	memset(&in, 0, sizeof in);
	in.source = res->final_url;
	in.bytes = res->body;
	in.len = res->len;
	in.content_type = res->content_type;
	in.http_charset = res->charset;
	in.original_url = strcmp(res->url, res->final_url) ? res->url : NULL;
	in.fetched_at = res->fetched_at;
	process(e, &in);
}

void fch_emit_warc_doc(void *emitter, const fch_warc_doc *doc)
{
	fch_emitter *e = emitter;
	ing_input in;

	memset(&in, 0, sizeof in);
	in.source = doc->target_uri;
	in.bytes = doc->body;
	in.len = doc->len;
	in.content_type = doc->content_type;
	in.http_charset = doc->charset;
	in.fetched_at = doc->date;
	process(e, &in);
}
