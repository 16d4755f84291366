#!/usr/bin/env python3
"""A scripted HTTP server for the fetch tests (tests/e2e/t70-fetch-*.sh).

Standard library only; binds 127.0.0.1 on a free port (port 0) and writes
the port to --port-file, so nothing leaves loopback and tests never clash.
It exits on SIGTERM, or by itself after --idle seconds without a request
(a safety net should a test be killed before it can stop the server).

Every request is logged; GET /_log returns the log as JSON Lines
({"path", "t", "ua", "inm", "ims", "ae"}), GET /_reset clears it and the
per-path counters, GET /_bump changes the ETag of /etag/*.

Routes (see each handler for what it proves):
  /robots.txt          disallows /private/ for everyone, /nosolent/ for Solent
  /page/NAME.html      a council page whose text names NAME (unique words)
  /missing/...         404
  /flaky/...           500 on the first request for that path, then 200
  /busy/...            429 Retry-After: 1 on the first request, then 200
  /unavailable/...     503 with Retry-After: 3600 every time
  /slow/...            answers after 3 s
  /loop/a, /loop/b     302 to each other, for ever
  /moved/NAME          301 to /page/NAME.html
  /to-file             302 to file:///etc/passwd
  /big                 a 2 MB page
  /bigstream           2.8 MB without Content-Length
  /gzbomb              5 MB of spaces in a few KB of gzip
  /latin1              windows-1252 bytes, declared in the header only
  /liar                windows-1252 bytes, header claims UTF-8
  /gzip                gzip-encoded when the client accepts it
  /private/..., /nosolent/...  pages robots.txt forbids
  /etag/NAME           ETag + Last-Modified; 304 to a matching conditional GET
  /list/...            listing pages linking to more pages, for --follow
"""
import argparse
import gzip
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = []
COUNTS = {}
LOCK = threading.Lock()
ETAG_VERSION = [1]
LAST_REQUEST = [time.time()]

TOPICS = {
    "alpha": "school transport across the Isle of Wight",
    "bravo": "pothole repairs on the A3055 at Ventnor",
    "charlie": "children's services improvement plan",
    "delta": "library opening hours in Ryde",
    "echo": "Bembridge harbour dredging licence",
}


def page(name, links=(), extra=""):
    topic = TOPICS.get(name, "the council budget for " + name)
    hrefs = "".join('<li><a href="%s">%s</a></li>' % (h, h) for h in links)
    return ("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%(title)s | Test Borough Council</title></head>
<body><main><h1>%(title)s</h1>
<p>Test Borough Council's cabinet met on 1 July 2013 to consider a report on %(topic)s.
The report, reference %(name)s-2013, was presented by the Director of Community Services.</p>
<p>Members asked about the cost of %(topic)s and the cabinet agreed the recommendations
set out in the report, subject to consultation with the parish councils. Keyword: zz%(name)szz.</p>
%(extra)s
<ul>%(hrefs)s</ul>
</main></body></html>
""" % {"title": "Report on " + name.capitalize(), "topic": topic, "name": name,
       "hrefs": hrefs, "extra": extra}).encode("utf-8")


CP1252_TEXT = ("<html><head><title>Caf\u00e9 licence fees</title></head><body><main>"
               "<h1>Caf\u00e9 licence fees</h1><p>The pavement caf\u00e9 licence fee rises to "
               "\u00a3150 from 1 April 2014, the licensing committee decided. Keyword: "
               "zzcafezz.</p></main></body></html>").encode("cp1252")
CP1252_LIAR = CP1252_TEXT.replace(b"zzcafezz", b"zzliarzz")

LISTING = {
    "/list/index.html": ["m1.html", "m2.html", "/other/x.html", "http://example.invalid/list/far.html",
                         "m1.html#minutes", "mailto:clerk@example.invalid"],
    "/list/m1.html": ["d1.html", "index.html"],
    "/list/m2.html": ["d1.html"],
    "/list/d1.html": ["d2.html"],
    "/list/d2.html": [],
    "/other/x.html": [],
}


class Handler(BaseHTTPRequestHandler):
    server_version = "SolentTestHTTP/1.0"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the second waits
    # for the client's delayed ACK (40 ms a request on Linux).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # quiet: the test reads /_log instead
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the client hung up (a size limit, a timeout): expected

    def count(self):
        with LOCK:
            COUNTS[self.path] = COUNTS.get(self.path, 0) + 1
            return COUNTS[self.path]

    def do_GET(self):
        path = self.path
        LAST_REQUEST[0] = time.time()
        if not path.startswith("/_"):
            with LOCK:
                LOG.append({"path": path, "t": time.time(),
                            "ua": self.headers.get("User-Agent"),
                            "inm": self.headers.get("If-None-Match"),
                            "ims": self.headers.get("If-Modified-Since"),
                            "ae": self.headers.get("Accept-Encoding")})
        n = self.count()

        if path == "/_log":
            with LOCK:
                body = "".join(json.dumps(e) + "\n" for e in LOG).encode()
            return self.send(200, body, "application/json")
        if path == "/_reset":
            with LOCK:
                LOG.clear()
                COUNTS.clear()
            return self.send(200, b"ok\n", "text/plain")
        if path == "/_bump":
            ETAG_VERSION[0] += 1
            return self.send(200, b"ok\n", "text/plain")

        if path == "/robots.txt":
            return self.send(200, b"# test robots\nUser-agent: *\nDisallow: /private/\n\n"
                                  b"User-agent: otherbot\nDisallow: /\n\n"
                                  b"User-agent: Solent\nDisallow: /private/\nDisallow: /nosolent/\n"
                                  b"Allow: /private/ok.html\n", "text/plain")
        if path.startswith("/page/") and path.endswith(".html"):
            return self.send(200, page(path[6:-5]))
        if path.startswith("/private/") or path.startswith("/nosolent/"):
            return self.send(200, page("secret"))
        if path.startswith("/missing"):
            return self.send(404, b"<html><body>Not here</body></html>")
        if path.startswith("/flaky/"):
            if n == 1:
                return self.send(500, b"<html><body>Oops</body></html>")
            return self.send(200, page("flaky"))
        if path.startswith("/busy/"):
            if n == 1:
                return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            return self.send(200, page("busy"))
        if path.startswith("/unavailable/"):
            return self.send(503, b"maintenance", "text/plain", {"Retry-After": "3600"})
        if path.startswith("/slow/"):
            time.sleep(3)
            return self.send(200, page("slow"))
        if path == "/loop/a":
            return self.send(302, b"", None, {"Location": "/loop/b"})
        if path == "/loop/b":
            return self.send(302, b"", None, {"Location": "/loop/a"})
        if path.startswith("/moved/"):
            return self.send(301, b"", None, {"Location": "/page/%s.html" % path[7:]})
        if path == "/to-file":
            return self.send(302, b"", None, {"Location": "file:///etc/passwd"})
        if path == "/big":
            return self.send(200, page("big", extra="<p>%s</p>" % ("word " * 400000)))
        if path == "/bigstream":
            # no Content-Length: the size cap must hold while the body streams
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"stream " * 2000 + b"</p>\n")
            except OSError:
                pass
            return None
        if path == "/gzbomb":
            # 5 MB of spaces in a few KB of gzip: the cap applies after inflating
            body = gzip.compress(b"<html><body>" + b" " * 5000000 + b"</body></html>")
            return self.send(200, body, headers={"Content-Encoding": "gzip"})
        if path == "/latin1":
            return self.send(200, CP1252_TEXT, "text/html; charset=windows-1252")
        if path == "/liar":
            return self.send(200, CP1252_LIAR, "text/html; charset=UTF-8")
        if path == "/gzip":
            body = page("gzipped")
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                return self.send(200, gzip.compress(body), headers={"Content-Encoding": "gzip",
                                                                    "Vary": "Accept-Encoding"})
            return self.send(200, body)
        if path.startswith("/etag/"):
            tag = '"v%d"' % ETAG_VERSION[0]
            lm = "Mon, 01 Jul 2013 10:00:00 GMT"
            if self.headers.get("If-None-Match") == tag:
                return self.send(304, b"", None, {"ETag": tag, "Last-Modified": lm})
            return self.send(200, page(path[6:] + "v%d" % ETAG_VERSION[0]),
                             headers={"ETag": tag, "Last-Modified": lm})
        if path in LISTING:
            name = path.rsplit("/", 1)[1][:-5]
            return self.send(200, page("list" + name, LISTING[path]))
        return self.send(404, b"<html><body>No route</body></html>")

    do_HEAD = do_GET


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--idle", type=float, default=300)
    args = ap.parse_args()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)  # the test sees the whole port or nothing

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)

    def watchdog():
        while True:
            time.sleep(1)
            if time.time() - LAST_REQUEST[0] > args.idle:
                stop()
                return

    threading.Thread(target=watchdog, daemon=True).start()
    srv.serve_forever(poll_interval=0.2)
    srv.server_close()


if __name__ == "__main__":
    sys.exit(main())
