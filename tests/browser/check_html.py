#!/usr/bin/env python3
"""Render a pathproof HTML report in headless Chromium and check what an auditor would see.

Usage: check_html.py CHROMIUM REPORT.html OUT_DIR [--expect-offending]

Checks (standard library only):
1. the page is self-contained: no <script>, no event-handler attribute, no href/src/action
   attribute, no url(...) in styles, and a Content-Security-Policy that allows no script and no
   request (default-src 'none');
2. no script runs: the same page with a <script> injected, dumped by Chromium (--dump-dom),
   shows that the script did not run (the CSP blocks it);
3. no request leaves the page: Chromium's net log of the render has no http(s)/ws request;
4. it renders and the diagrams are visible: the screenshot has the colours of the path
   diagrams (green IoT Core end; with --expect-offending also the red offending hop).
Exit status 0 when every check holds; messages on stderr otherwise.
"""
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.csp = None
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.problems.append("a <script> element")
        if tag == "svg":
            self.svgs += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster"):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style" and value and "url(" in value:
                self.problems.append(f"url() in a style attribute on <{tag}>")
        d = dict(attrs)
        if tag == "meta" and (d.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = d.get("content", "")

    def handle_data(self, data):
        if "url(" in data and self.lasttag == "style":
            self.problems.append("url() in a <style> element")


def chromium_args(chromium, profile):
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-features=MediaRouter,OptimizationHints,Translate",
        # Nothing may resolve: a request that tried would fail and show in the net log.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
    ]


def re_csp(text):
    """`text` without its Content-Security-Policy meta element."""
    start = text.find('<meta http-equiv="Content-Security-Policy"')
    end = text.find(">", start)
    assert start >= 0 and end > start, "no CSP meta element"
    return text[:start] + text[end + 1 :]


def run(args, timeout=120):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def page_requests(netlog):
    """URLs the page asked for, from a Chromium net log: URL_REQUEST_START_JOB events whose
    initiator is an origin (the browser's own requests, such as its update and time checks,
    have the initiator "not an origin"; a file:// page's have the opaque origin "null")."""
    d = json.load(open(netlog, encoding="utf-8", errors="replace"))
    start = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for e in d["events"]:
        p = e.get("params") or {}
        if e.get("type") == start and "url" in p and p.get("initiator") != "not an origin":
            if not p["url"].startswith("file://"):
                urls.append(p["url"])
    return sorted(set(urls))


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of a non-interlaced 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def count_colour(rows, bpp, rgb, tolerance=6):
    n = 0
    for row in rows:
        for i in range(0, len(row), bpp):
            if all(abs(row[i + k] - rgb[k]) <= tolerance for k in range(3)):
                n += 1
    return n


def main():
    chromium, report, out_dir = sys.argv[1:4]
    expect_offending = "--expect-offending" in sys.argv[4:]
    problems = []
    text = open(report, encoding="utf-8").read()

    # 1. Static: nothing that runs or fetches.
    page = Page()
    page.feed(text)
    problems += page.problems
    if page.csp is None or "default-src 'none'" not in page.csp or "script-src" in page.csp:
        problems.append(f"no CSP that forbids scripts and requests: {page.csp!r}")
    if page.svgs == 0:
        problems.append("no SVG diagram in the page")

    with tempfile.TemporaryDirectory() as tmp:
        # 2. A script injected into the page does not run.
        probe = os.path.join(tmp, "probe.html")
        injected = text.replace(
            "<body>", "<body><script>document.title='SCRIPT-RAN'</script>", 1
        )
        open(probe, "w", encoding="utf-8").write(injected)
        dom = run(chromium_args(chromium, os.path.join(tmp, "p1")) + ["--dump-dom", "file://" + probe])
        if dom.returncode != 0 or "<title>" not in dom.stdout:
            problems.append(f"chromium --dump-dom failed: {dom.returncode} {dom.stderr[-500:]}")
        elif "<title>SCRIPT-RAN" in dom.stdout:
            problems.append("an injected script ran: the CSP does not block scripts")
        # Control: without the CSP the same script runs (so the check above can see one).
        bare = os.path.join(tmp, "bare.html")
        open(bare, "w", encoding="utf-8").write(re_csp(injected))
        dom = run(chromium_args(chromium, os.path.join(tmp, "p3")) + ["--dump-dom", "file://" + bare])
        if "<title>SCRIPT-RAN" not in dom.stdout:
            problems.append("control: a script in the page without its CSP did not run")

        # 3. The request check sees a page's request: a page without a CSP that loads an image.
        control = os.path.join(tmp, "control.html")
        open(control, "w").write('<!DOCTYPE html><img src="http://pathproof-probe.invalid/x.png">')
        control_log = os.path.join(tmp, "control.json")
        run(
            chromium_args(chromium, os.path.join(tmp, "p0"))
            + [f"--log-net-log={control_log}", f"--screenshot={os.path.join(tmp, 'c.png')}", "file://" + control]
        )
        if not os.path.isfile(control_log) or not page_requests(control_log):
            problems.append("the net-log check does not see a page's request (control page)")

        # 3 and 4. Render: screenshot and net log.
        shot = os.path.join(out_dir, "report.png")
        netlog = os.path.join(tmp, "net.json")
        res = run(
            chromium_args(chromium, os.path.join(tmp, "p2"))
            + [
                "--window-size=1280,5200",
                "--force-device-scale-factor=0.5",
                f"--screenshot={shot}",
                f"--log-net-log={netlog}",
                "file://" + os.path.abspath(report),
            ]
        )
        if res.returncode != 0 or not os.path.isfile(shot):
            problems.append(f"chromium --screenshot failed: {res.returncode} {res.stderr[-500:]}")
        else:
            urls = page_requests(netlog)
            if urls:
                problems.append(f"requests left the page: {urls}")
            width, height, bpp, rows = png_pixels(shot)
            green = count_colour(rows, bpp, (0xD4, 0xED, 0xDA))
            red = count_colour(rows, bpp, (0xFB, 0xD5, 0xD5))
            print(f"screenshot {width}x{height}: {green} green (IoT Core) and {red} red (offending/stop) pixels")
            if not expect_offending and green < 200:
                problems.append("no IoT Core box visible in the screenshot")
            if expect_offending and red < 200:
                problems.append("no red offending hop visible in the screenshot")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
