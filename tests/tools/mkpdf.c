/*
 * mkpdf - write the test PDFs from our own text with cairo's PDF surface,
 * so that no PDF binary is committed (tests/e2e/t95-docs.sh, corpus/README.md).
 *
 *   mkpdf [--title T] [--author A] [--date YYYY-MM-DDTHH:MM:SS] IN.txt OUT.pdf
 *       each form feed in IN.txt starts a new page; lines are wrapped to
 *       the page width; a blank line is a paragraph break
 *   mkpdf --blank OUT.pdf
 *       one page with only a drawn rectangle: a "scan" with no text layer
 *   mkpdf --zero-pages OUT.pdf
 *       a well-formed PDF whose page tree is empty (cairo always writes a page)
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.0  /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 72.0
#define LEADING 15.0

static int usage(void)
{
	fputs("usage: mkpdf [--title T] [--author A] [--date ISO] IN.txt OUT.pdf\n"
	      "       mkpdf --blank OUT.pdf\n"
	      "       mkpdf --zero-pages OUT.pdf\n", stderr);
	return 2;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) && fread(data, 1, (size_t)n, f) == (size_t)n)
		data[n] = '\0';
	else {
		free(data);
		data = NULL;
	}
	fclose(f);
	return data;
}

/* Show one source line, wrapped at word boundaries to the text width. */
static void show_line(cairo_t *cr, char *line, double *y)
{
	char *word = line;
	size_t fitted = 0;  /* bytes of line known to fit */

	while (*line) {
		cairo_text_extents_t ext;
		char *end = word + strcspn(word, " ");
		char keep = *end;

		*end = '\0';
		cairo_text_extents(cr, line, &ext);
		*end = keep;
		if (ext.x_advance > PAGE_W - 2 * MARGIN && fitted) {
			line[fitted] = '\0';
			cairo_move_to(cr, MARGIN, *y);
			cairo_show_text(cr, line);
			*y += LEADING;
			line += fitted + 1;
			word = line;
			fitted = 0;
			continue;
		}
		fitted = (size_t)(end - line);
		if (!keep)
			break;
		word = end + 1;
	}
	if (*line) {
		cairo_move_to(cr, MARGIN, *y);
		cairo_show_text(cr, line);
	}
	*y += LEADING;
}

/* Written by hand: objects 1 (catalog) and 2 (an empty page tree), with
 * the cross-reference offsets counted as we go. */
static int write_zero_pages(const char *path)
{
	static const char *const objs[] = {
		"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n",
	};
	FILE *f = fopen(path, "wb");
	long offs[2];

	if (!f) {
		perror(path);
		return 1;
	}
	fputs("%PDF-1.4\n", f);
	for (int i = 0; i < 2; i++) {
		offs[i] = ftell(f);
		fputs(objs[i], f);
	}
	long xref = ftell(f);
	fprintf(f, "xref\n0 3\n0000000000 65535 f \n%010ld 00000 n \n%010ld 00000 n \n",
		offs[0], offs[1]);
	fprintf(f, "trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
	return fclose(f) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *title = NULL, *author = NULL, *date = NULL;
	cairo_surface_t *surface;
	cairo_t *cr;
	int blank = 0, i;
	char *text = NULL;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--blank"))
			blank = 1;
		else if (!strcmp(argv[i], "--zero-pages") && i + 2 == argc)
			return write_zero_pages(argv[i + 1]);
		else if (i + 1 < argc && !strcmp(argv[i], "--title"))
			title = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--author"))
			author = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--date"))
			date = argv[++i];
		else
			return usage();
	}
	if (argc - i != (blank ? 1 : 2))
		return usage();
	if (!blank && !(text = slurp(argv[i]))) {
		perror(argv[i]);
		return 1;
	}
	surface = cairo_pdf_surface_create(argv[argc - 1], PAGE_W, PAGE_H);
	if (title)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
	if (author)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author);
	if (date)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cr = cairo_create(surface);
	if (blank) {
		/* grey "scanned" area, no glyph anywhere */
		cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		cairo_rectangle(cr, MARGIN, MARGIN, PAGE_W - 2 * MARGIN, 300);
		cairo_fill(cr);
		cairo_show_page(cr);
	} else {
		double y = MARGIN;
		char *page = text;
		cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL,
				       CAIRO_FONT_WEIGHT_NORMAL);
		cairo_set_font_size(cr, 11);
		while (page) {
			char *next = strchr(page, '\f');
			char *line = page;
			if (next)
				*next++ = '\0';
			while (line && *line) {
				char *nl = strchr(line, '\n');
				if (nl)
					*nl = '\0';
				if (y > PAGE_H - MARGIN) {  /* overflow: a page of its own */
					cairo_show_page(cr);
					y = MARGIN;
				}
				show_line(cr, line, &y);
				line = nl ? nl + 1 : NULL;
			}
			cairo_show_page(cr);
			y = MARGIN;
			page = next;
		}
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "mkpdf: %s: %s\n", argv[argc - 1],
			cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		free(text);
		return 1;
	}
	cairo_surface_destroy(surface);
	free(text);
	return 0;
}
