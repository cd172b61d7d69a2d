"""Checks what Chromium rendered of the posture report against the history's JSON lines."""
import json
import struct
import sys
from html.parser import HTMLParser

history_file, dom_file, png_file = sys.argv[1:4]
runs = [json.loads(line) for line in open(history_file) if line.strip()]
failures = []


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.stack, self.score, self.points, self.rows = [], [], None, 0, 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a.get("id")))
        if tag == "polyline":
            self.points = len(a.get("points", "").split())
        if tag == "tr":
            self.rows += 1
        for k in ("src", "href"):
            if a.get(k, "").startswith(("http:", "https:", "//")):
                self.external.append(a[k])
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] == ("strong", "score"):
            self.score = data.strip()
        self.text.append(data)


page = Page()
page.feed(open(dom_file, encoding="utf-8").read())
text = " ".join(" ".join(page.text).split())
last, first = runs[-1], runs[0]

def check(cond, what):
    if not cond:
        failures.append(what)

check(page.score == f"{last['score']:.0f}", f"score shown {page.score!r}, history says {last['score']:.0f}")
check(page.points == len(runs), f"chart has {page.points} points for {len(runs)} runs")
check(f"{last['score'] - first['score']:+.0f} points over {len(runs)} runs" in text, "trend sentence")
check("Since the previous run: 2 fixed, 0 new, 1 still failing." in text, "changes since the previous run")
check("curl 1.0-1 — DSA-3" in text, "the vulnerable package still failing")
check("Failing rules (0)" in text, "no failing rule left")
check(not page.external, f"external resources: {page.external}")
with open(png_file, "rb") as f:
    head = f.read(24)
check(head[:8] == b"\x89PNG\r\n\x1a\n", "Chromium wrote a PNG screenshot")
if head[:8] == b"\x89PNG\r\n\x1a\n":
    w, h = struct.unpack(">II", head[16:24])
    check((w, h) == (1000, 900), f"screenshot size {w}x{h}")
if failures:
    for f in failures:
        print(f"posture-report: FAILED: {f}", file=sys.stderr)
    sys.exit(1)
print(f"posture-report: Chromium shows score {page.score}, {page.points} runs charted, changes and failing items as recorded")
