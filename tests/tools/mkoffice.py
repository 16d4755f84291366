#!/usr/bin/env python3
"""mkoffice - write the test DOCX and ODT documents from our own text with
Python's zipfile, so that no Office binary is committed.

    mkoffice.py docx OUT.docx      decision notice: heading, paragraphs, list, table
    mkoffice.py odt OUT.odt        parish newsletter: heading, paragraphs, list, table
    mkoffice.py bomb OUT.docx      a DOCX whose document.xml unpacks to 40 MB
    mkoffice.py zip OUT.docx       a zip that is no Office document

All text is made up for Solent (corpus/README.md).
"""
import sys
import zipfile
from xml.sax.saxutils import escape

DOCX_TITLE = "Fareham Borough Council: allotment rents decision notice"
DOCX_BODY = [
    ("h", "Decision notice: allotment rents 2020/21"),
    ("p", "The Executive Member for Leisure and Community decided on 11 February 2020 "
          "to raise allotment rents by four per cent from 1 October 2020."),
    ("p", "The increase pays for new allotment water troughs on three sites and for "
          "the clearance of overgrown plots."),
    ("l", "Coldeast Way allotments"),
    ("l", "Highlands Road allotments"),
    ("l", "Wicor Path allotments"),
    ("t", [["Plot size", "Rent 2019/20", "Rent 2020/21"],
           ["Full plot", "50.00", "52.00"],
           ["Half plot", "25.00", "26.00"]]),
    ("p", "Reasons: rents had not changed since 2016 and the water bill has doubled."),
]

ODT_TITLE = "Hamble-le-Rice Parish Council newsletter, spring 2021"
ODT_BODY = [
    ("h", "Parish news for spring"),
    ("p", "Volunteers are wanted for the Hamble foreshore litter picks, held on the first "
          "Saturday of each month from April."),
    ("l", "Bring gloves and stout shoes"),
    ("l", "Bags and grabbers are provided"),
    ("t", [["Month", "Meeting point"], ["April", "the Quay"], ["May", "Mercury Marina"]]),
    ("p", "The parish council meets next on 8 April 2021 in the Memorial Hall."),
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_para(text, style=None, numbered=False):
    ppr = ""
    if style or numbered:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if numbered:
            ppr += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        ppr += "</w:pPr>"
    # two runs, so that the reader must join runs within a paragraph
    half = len(text) // 2
    while half < len(text) and text[half] != " ":
        half += 1
    runs = "".join(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
                   for part in (text[:half], text[half:]) if part)
    return f"<w:p>{ppr}{runs}</w:p>"


def docx_document(body):
    out = []
    for kind, value in body:
        if kind == "h":
            out.append(docx_para(value, "Heading1"))
        elif kind == "p":
            out.append(docx_para(value))
        elif kind == "l":
            out.append(docx_para(value, "ListParagraph", numbered=True))
        elif kind == "t":
            rows = "".join("<w:tr>" + "".join(f"<w:tc>{docx_para(c)}</w:tc>" for c in row) +
                           "</w:tr>" for row in value)
            out.append(f"<w:tbl>{rows}</w:tbl>")
    # a deleted revision must not reach the text
    out.append('<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>withdrawn wording'
               '</w:delText></w:r></w:del></w:p>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}"><w:body>{"".join(out)}<w:sectPr/></w:body></w:document>')


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def core_xml(title, created):
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{escape(title)}</dc:title><dc:creator>Democratic Services</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
            '</cp:coreProperties>')


def write_docx(path, document, title=DOCX_TITLE, created="2020-02-11T09:30:00Z"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
        z.writestr("docProps/core.xml", core_xml(title, created))


ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"')


def odt_content(body):
    out = []
    items = []

    def flush():
        if items:
            out.append("<text:list>" + "".join(
                f"<text:list-item><text:p>{escape(i)}</text:p></text:list-item>" for i in items) +
                "</text:list>")
            items.clear()

    for kind, value in body:
        if kind != "l":
            flush()
        if kind == "h":
            out.append(f'<text:h text:outline-level="1">{escape(value)}</text:h>')
        elif kind == "p":
            # a span and a text:s, so that the reader must walk inline markup
            first, _, rest = value.partition(" ")
            out.append(f"<text:p><text:span>{escape(first)}</text:span><text:s/>{escape(rest)}</text:p>")
        elif kind == "l":
            items.append(value)
        elif kind == "t":
            rows = "".join("<table:table-row>" + "".join(
                f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in row) +
                "</table:table-row>" for row in value)
            out.append(f'<table:table table:name="T1"><table:table-column/>{rows}</table:table>')
    flush()
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}>'
            f'<office:body><office:text><text:sequence-decls/>{"".join(out)}'
            '</office:text></office:body></office:document-content>')


def write_odt(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        # ODF: "mimetype" first and stored, so the type sits at byte 38
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", odt_content(ODT_BODY))
        z.writestr("meta.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODT_NS}>'
                   f'<office:meta><dc:title>{escape(ODT_TITLE)}</dc:title>'
                   '<meta:creation-date>2021-03-02T14:00:00</meta:creation-date>'
                   '</office:meta></office:document-meta>')
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')


def write_bomb(path):
    # 40 MB of one repeated paragraph: over the reader's 32 MB cap per member
    para = docx_para("more allotment wording " * 20)
    count = 40 * 1024 * 1024 // len(para) + 1
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w") as f:
            f.write(head.encode())
            chunk = (para * 1000).encode()
            for _ in range(count // 1000 + 1):
                f.write(chunk)
            f.write(b"</w:body></w:document>")


def write_plain_zip(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "Not an Office document.\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    kind, path = sys.argv[1:]
    if kind == "docx":
        write_docx(path, docx_document(DOCX_BODY))
    elif kind == "odt":
        write_odt(path)
    elif kind == "bomb":
        write_bomb(path)
    elif kind == "zip":
        write_plain_zip(path)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
