#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""report_check.py REPORT.html RUN.jsonl [RUN.jsonl ...]

Checks synack's HTML report: it parses with balanced tags, refers to nothing
outside itself (no http(s):// src/href, no <script src>, <link>, @import,
url(http..)), and each over-time plot has one polyline per run and series
whose data-points equal that run's number of interval lines. Exit 1 with the
reason on the first failure.
"""
import html.parser
import json
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
# SVG elements written self-closed (<rect .../>)
SVG_SELF = {"rect", "line", "polyline", "path", "circle"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
        self.errors = []
        self.figure = None
        self.polylines = {}  # figure id -> [data-points]

    def handle_starttag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        if tag == "figure":
            self.figure = dict(attrs).get("id")
        if tag == "polyline" and self.figure is not None:
            self.polylines.setdefault(self.figure, []).append(int(dict(attrs)["data-points"]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.check_attrs(tag, attrs)
        if tag == "polyline" and self.figure is not None:
            self.polylines.setdefault(self.figure, []).append(int(dict(attrs)["data-points"]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> at {self.getpos()}, open: {self.stack[-3:]}")
            return
        self.stack.pop()
        if tag == "figure":
            self.figure = None

    def check_attrs(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "action", "data") and v and re.match(
                    r"\s*(https?:)?//", v):
                self.errors.append(f"external reference <{tag} {k}={v}>")
        if tag == "script" and "src" in dict(attrs):
            self.errors.append("<script src>")
        if tag == "link":
            self.errors.append("<link>")


def intervals(path):
    n = 0
    with open(path) as f:
        for line in f:
            if json.loads(line).get("type") == "interval":
                n += 1
    return n


def main():
    page = open(sys.argv[1]).read()
    runs = [intervals(p) for p in sys.argv[2:]]
    c = Checker()
    c.feed(page)
    c.close()
    if c.stack:
        c.errors.append(f"unclosed at the end: {c.stack}")
    if "@import" in page or re.search(r"url\(\s*['\"]?(https?:)?//", page):
        c.errors.append("@import or url() to the outside")
    if not page.startswith("<!DOCTYPE html>"):
        c.errors.append("no doctype")
    for fig, nseries in (("rates", 2), ("gbps", 2), ("open", 2), ("errors", 3)):
        pts = c.polylines.get(fig)
        want = [n for n in runs for _ in range(nseries)]
        if pts != want:
            c.errors.append(f"figure {fig}: points {pts}, want {want} (intervals {runs})")
    if "lat-time" not in c.polylines:
        c.errors.append("no latency-over-time plot")
    if not any(k.startswith("cdf-") for k in c.polylines):
        c.errors.append("no CDF plot")
    for e in c.errors:
        print("report_check:", e)
    print(f"report_check: {len(page)} bytes, figures {sorted(c.polylines)}, intervals {runs}")
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
