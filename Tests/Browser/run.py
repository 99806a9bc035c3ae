#!/usr/bin/env python3
"""Browser tests of the two pages people look at (issue 17), in headless Chromium:

- verify.html, opened from file:// as a buyer would, and as sawah-platform serves it: the
  GS1 event-hash test vectors, a good export, and each tamper case `sawah verify` is tested
  on, where the page must name the same (batch, check) pairs as the CLI;
- the status page of `sawah web`: the journal's values and plots with points, an update
  when a reading is committed, and the token refused.

Every page is checked for console errors and requests to other origins. Screenshots at phone
and desktop sizes go to the artifacts folder. Usage: run.py BIN_DIR ARTIFACTS_DIR
"""

import base64
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from browser import DESKTOP, PHONE, Browser  # noqa: E402
from stack import ROOT, Stack, wait_for  # noqa: E402

VECTORS = ROOT.parent / "shared" / "standards" / "epcis-event-hash" / "test-vectors"
passed = []


def check(name):
    def wrap(function):
        def run(*arguments):
            started = time.time()
            function(*arguments)
            passed.append(name)
            print(f"ok   {name} ({time.time() - started:.1f} s)", flush=True)
        return run
    return wrap


def load_files(browser, folder):
    """Gives the page every file of `folder` through its file input, as a person would."""
    paths = sorted(str(p) for p in Path(folder).iterdir() if p.is_file())
    browser.js("document.body.dataset.state = 'choosing'")
    browser.driver.find_element("id", "files").send_keys("\n".join(paths))
    browser.wait_state({"done"}, timeout=600)
    return browser.js("return window.sawahVerifier.last")


def cli_failures(stack, folder, issuer):
    result = stack.sawah("verify", "--bundles", str(folder), "--issuer", issuer, check=False)
    pairs = set()
    for line in result.stdout.splitlines():
        match = re.match(r"^\s+batch (\d+): ([^:]+): ", line)
        if match:
            pairs.add((int(match.group(1)), match.group(2)))
    return result.returncode, pairs, result.stdout


@check("the page's event hash reproduces every GS1 test vector")
def event_hash_vectors(browser, verify_url):
    browser.open(verify_url)
    browser.wait_state({"ready"})
    names = sorted(p.stem for p in VECTORS.glob("*.jsonld"))
    assert len(names) >= 4, f"expected the GS1 test vectors in {VECTORS}"
    for name in names:
        document = json.loads((VECTORS / f"{name}.jsonld").read_text())
        prehashes = (VECTORS / f"{name}.prehashes").read_text().split("\n")
        hashes = [h for h in (VECTORS / f"{name}.hashes").read_text().split("\n") if h]
        events = document["epcisBody"]["eventList"]
        assert len(events) == len(hashes), name
        for index, event in enumerate(events):
            found = browser.js("return window.sawahVerifier.preHash(arguments[0], arguments[1])", event, document.get("@context"))
            assert found == prehashes[index], f"{name} event {index}: pre-hash\n  page: {found}\n  GS1:  {prehashes[index]}"
            found = browser.driver.execute_async_script(
                "window.sawahVerifier.eventID(arguments[0], arguments[1]).then(arguments[2])", event, document.get("@context"))
            assert found == hashes[index], f"{name} event {index}: {found} != {hashes[index]}"
    browser.check_clean(["file://"])


@check("the page's event hash agrees with the Swift one on GS1's examples and 500 random events")
def event_hash_differential(browser, verify_url, stack, work):
    import event_fuzz
    browser.open(verify_url)
    browser.wait_state({"ready"})
    folder = work / "event-hash"
    folder.mkdir(parents=True, exist_ok=True)
    examples = sorted((ROOT.parent / "shared" / "standards" / "gs1-epcis" / "examples").glob("*.jsonld"))
    documents = [(p.name, json.loads(p.read_text())) for p in examples]
    documents += [(f"random-{i}", d) for i, d in enumerate(event_fuzz.documents(seed=17, count=20))]
    compared = 0
    for name, document in documents:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(document))
        swift = [json.loads(line) for line in stack.sawah("certificates", "event-hash", "--pre-hash", str(path)).stdout.splitlines()]
        events = [{k: v for k, v in e.items() if k != "eventID"} for e in document["epcisBody"]["eventList"]]
        page = browser.driver.execute_async_script(
            "const [events, context, done] = arguments;"
            "Promise.all(events.map(async e => [window.sawahVerifier.preHash(e, context), await window.sawahVerifier.eventID(e, context)])).then(done)",
            events, document.get("@context"))
        assert len(page) == len(swift), name
        for index, ((pre, eid), expected) in enumerate(zip(page, swift)):
            assert pre == expected["preHash"], f"{name} event {index}: {json.dumps(events[index])}\n  page:  {pre}\n  swift: {expected['preHash']}"
            assert eid == expected["eventID"], f"{name} event {index}"
            compared += 1
    assert compared >= 500, compared
    browser.check_clean(["file://"])


@check("a good export verifies in the page, anchored at the farm's key")
def good_export(browser, verify_url, export, stack, did, artifacts):
    browser.open(verify_url)
    browser.wait_state({"ready"})
    browser.js("document.getElementById('expected-issuer').value = arguments[0]", did)
    result = load_files(browser, export)
    status, pairs, output = cli_failures(stack, export, did)
    assert status == 0 and not pairs, output
    assert result["level"] == "good" and result["verdict"].startswith("VERIFIED: "), result
    batches = len(list(Path(export).glob("batch-*.vc.jwt")))
    assert result["batches"] == batches and not result["failures"], result
    plots = browser.js("return [...document.querySelectorAll('#plots figure')].map(f => [f.dataset.series, Number(f.querySelector('polyline')?.dataset.points ?? 0), f.querySelectorAll('circle.plot-alarm').length, f.querySelectorAll('line.plot-threshold').length])")
    assert len(plots) >= 5 and all(points > 1 for _, points, _, _ in plots), f"plots without points: {plots}"
    soil = next(p for p in plots if p[0] == "plot1-soil-temp/soil_temperature")
    assert soil[2] >= 1 and soil[3] == 2, f"the soil plot shows the alarm and both thresholds: {soil}"
    rotations = browser.js("return [...document.querySelectorAll('#issuer-panel dt')].filter(d => d.textContent.startsWith('key rotation')).length")
    assert rotations == 1, "the key rotation is shown"
    browser.check_clean(["file://"])
    browser.screenshot(artifacts / f"verify-good-{'phone' if browser.size == PHONE else 'desktop'}.png")
    browser.screenshot(artifacts / f"verify-good-{'phone' if browser.size == PHONE else 'desktop'}-top.png", full=False)
    # Without an expected issuer: intact, but never a bare VERIFIED.
    browser.open(verify_url)
    browser.wait_state({"ready"})
    result = load_files(browser, export)
    assert result["level"] == "warn" and result["verdict"].startswith("ISSUER UNVERIFIED"), result


def tamper_cases(export, work):
    """Each case `sawah verify` is tested on, made on a copy of the export."""
    def copy(name):
        target = work / name
        shutil.copytree(export, target)
        return target

    cases = {}
    folder = copy("changed-reading")
    raw = folder / "batch-000003.raw-series.csv"
    lines = raw.read_text().split("\n")
    fields = lines[3].split(",")
    fields[3] = str(float(fields[3]) + 0.5)
    lines[3] = ",".join(fields)
    raw.write_text("\n".join(lines))
    cases["a changed reading"] = (folder, {(3, "raw series digest"), (3, "raw series")})

    folder = copy("swapped-certificates")
    a, b = folder / "batch-000002.vc.jwt", folder / "batch-000004.vc.jwt"
    a_text, b_text = a.read_text(), b.read_text()
    a.write_text(b_text)
    b.write_text(a_text)
    cases["two certificates swapped"] = (folder, None)

    folder = copy("deleted-batch")
    for path in folder.glob("batch-000003.*"):
        path.unlink()
    cases["a deleted batch"] = (folder, {(4, "chain")})

    folder = copy("edited-event")
    epcis = folder / "batch-000002.epcis.jsonld"
    document = json.loads(epcis.read_text())
    document["epcisBody"]["eventList"][0]["eventTime"] = "2020-01-01T00:00:00.000Z"
    epcis.write_text(json.dumps(document))
    cases["an edited EPCIS event"] = (folder, {(2, "EPCIS document digest"), (2, "event hash")})

    folder = copy("forged-payload")
    jwt = folder / "batch-000005.vc.jwt"
    header, payload, signature = jwt.read_text().strip().split(".")
    credential = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    credential["issuer"]["name"] = "Somebody Else"
    forged = base64.urlsafe_b64encode(json.dumps(credential).encode()).decode().rstrip("=")
    jwt.write_text(f"{header}.{forged}.{signature}")
    cases["a payload changed after signing"] = (folder, {(5, "signature")})
    return cases


@check("each tamper case is named by the page exactly as `sawah verify` names it")
def tampered_exports(browser, verify_url, export, stack, did, work, artifacts):
    for name, (folder, expected) in tamper_cases(export, work).items():
        status, cli, output = cli_failures(stack, folder, did)
        assert status == 1 and cli, f"{name}: the CLI should fail it: {output}"
        if expected is not None:
            assert expected <= cli, f"{name}: the CLI names {sorted(cli)}, expected at least {sorted(expected)}"
        browser.open(verify_url)
        browser.wait_state({"ready"})
        browser.js("document.getElementById('expected-issuer').value = arguments[0]", did)
        result = load_files(browser, folder)
        page = {(f["batch"], f["check"]) for f in result["failures"]}
        assert result["level"] == "bad" and result["verdict"].startswith("FAILED"), f"{name}: {result['verdict']}"
        assert page == cli, f"{name}: the page names {sorted(page)}, the CLI {sorted(cli)}"
        shown = browser.js("return [...document.querySelectorAll('tr.fail .problem')].map(p => p.textContent)")
        assert shown, f"{name}: the failing batch and check are shown in the table"
        browser.check_clean(["file://"])
        listed = browser.js("return [...document.querySelectorAll('#problems li')].map(li => li.textContent)")
        count = len(result["failures"])
        assert len(listed) == min(count, 20) + (count > 20), f"{name}: the problems are listed under the verdict: {listed}"
        if name == "a changed reading":
            browser.screenshot(artifacts / "verify-tampered-desktop.png")
            browser.screenshot(artifacts / "verify-tampered-desktop-top.png", full=False)
    # A signer other than the one the farm named.
    browser.open(verify_url)
    browser.wait_state({"ready"})
    browser.js("document.getElementById('expected-issuer').value = 'did:key:zDnaeSomebodyElse'")
    result = load_files(browser, export)
    assert result["level"] == "bad" and "not by the expected did:key:zDnaeSomebodyElse" in result["verdict"], result


@check("sawah-platform serves the same page at /verify, with its policy as a header")
def platform_page(browser, stack, export, did):
    url = f"http://127.0.0.1:{stack.platform_port}/verify"
    with urllib.request.urlopen(url) as response:
        policy = response.headers["Content-Security-Policy"]
        assert "connect-src 'none'" in policy and "frame-ancestors 'none'" in policy, policy
    browser.open(url)
    browser.wait_state({"ready"})
    browser.js("document.getElementById('expected-issuer').value = arguments[0]", did)
    result = load_files(browser, export)
    assert result["level"] == "good", result
    browser.check_clean([f"http://127.0.0.1:{stack.platform_port}/"])


def backfill(stack, days):
    """A month of soil temperature (every 5 min, a hot spell three days ago) and leaf wetness
    (every 15 min), timestamped by the node: what a status page plots over 24 h to 30 days."""
    now = int(time.time())
    soil, leaf = [], []
    for k in range(days * 288, 0, -1):
        t = now - k * 300
        hour = (t % 86400) / 3600
        value = 27 + 1.5 * __import__("math").sin((hour - 12) / 24 * 6.283)
        if 3 * 288 <= k < 3 * 288 + 4:
            value = 36.2
        soil.append(json.dumps({"temperature": round(value, 2), "time": t}))
        if k % 3 == 0:
            leaf.append(json.dumps({"wetness": round(max(0, 80 * __import__("math").sin((hour - 3) / 24 * 6.283)), 1)}))
    stack.publish("farm/plot1/soil-temp", soil)
    stack.publish("farm/plot1/leaf", leaf)
    return len(soil) + len(leaf)


@check("the status page shows the journal's values and plots, and updates on a new reading")
def status_page(stack, artifacts):
    latest = dict(((s, q), v) for s, q, v in stack.query(
        "SELECT s.sensor, s.quantity, r.value FROM readings r JOIN series s ON s.id = r.series "
        "WHERE r.seq IN (SELECT MAX(seq) FROM readings GROUP BY series)"))
    origin = f"http://127.0.0.1:{stack.web_port}"
    for size in (PHONE, DESKTOP):
        browser = Browser(size)
        try:
            browser.open(f"{origin}/#token={stack.token}")
            browser.wait_state({"ready"}, timeout=30)
            cards = browser.js("return [...document.querySelectorAll('#sensors .card')].map(c => [c.dataset.series, c.querySelector('.big').textContent, Number(c.querySelector('polyline')?.dataset.points ?? 0)])")
            assert len(cards) == len(latest), f"{len(cards)} sensor cards for {len(latest)} series: {cards}"
            for series, shown, points in cards:
                sensor, quantity = series.split("/")
                value = latest[(sensor, quantity)]
                assert abs(float(shown.split()[0]) - value) <= abs(value) * 1e-5, f"{series}: page {shown}, journal {value}"
            plotted = {series: points for series, _, points in cards}
            assert plotted["plot1-soil-temp/soil_temperature"] >= 200, f"24 h of 5-minute readings: {plotted}"
            for label in ("7d", "30d"):
                browser.js("document.querySelector(`button[data-range='${arguments[0]}']`).click()", label)
                wait_for(lambda: browser.js("return document.querySelector('#sensors .card polyline') !== null && document.getElementById('range-note').textContent.length > 0"), 10, "the range to change")
                time.sleep(1.5)
                points = browser.js("return Number(document.querySelector(`#sensors .card[data-series='plot1-soil-temp/soil_temperature'] polyline`).dataset.points)")
                assert 100 <= points <= 400, f"{label}: {points} buckets drawn, from server-side downsampling"
            browser.js("document.querySelector(`button[data-range='24h']`).click()")
            time.sleep(1.5)
            delivered = browser.js("return document.getElementById('uplinks').textContent")
            assert "no platform configured" in delivered, delivered
            quarantine = browser.js("return document.getElementById('quarantine').textContent")
            assert "farm/plot9/unknown" in quarantine, quarantine
            if size == DESKTOP:
                before = int(browser.js("return document.body.dataset.sequence"))
                stack.publish("farm/plot1/soil-temp", [json.dumps({"temperature": 31.37})])
                wait_for(lambda: int(browser.js("return document.body.dataset.sequence")) > before, 15, "the page to see the new reading")
                wait_for(lambda: browser.js("return document.querySelector(`#sensors .card[data-series='plot1-soil-temp/soil_temperature'] .big`).textContent").startswith("31.37"), 10, "the new value on its card")
            browser.check_clean([origin + "/"])
            browser.screenshot(artifacts / f"status-{'phone' if size == PHONE else 'desktop'}.png")
            browser.screenshot(artifacts / f"status-{'phone' if size == PHONE else 'desktop'}-top.png", full=False)
        finally:
            browser.quit()


@check("the status page's API refuses a request without the token, and the page asks for it")
def status_token(stack):
    origin = f"http://127.0.0.1:{stack.web_port}"
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}):
        try:
            urllib.request.urlopen(urllib.request.Request(f"{origin}/api/status", headers=headers))
            raise AssertionError(f"/api/status answered without the token ({headers})")
        except urllib.error.HTTPError as error:
            assert error.code == 401, error.code
    request = urllib.request.Request(f"{origin}/api/status", headers={"Authorization": f"Bearer {stack.token}"}, method="POST")
    try:
        urllib.request.urlopen(request)
        raise AssertionError("POST /api/status was accepted")
    except urllib.error.HTTPError as error:
        assert error.code >= 400, error.code
    browser = Browser(PHONE)
    try:
        browser.open(origin + "/")
        assert browser.wait_state({"unauthorised"}, timeout=20) == "unauthorised"
        assert browser.js("return document.getElementById('token-form').hidden") is False
        assert browser.js("return document.querySelectorAll('#sensors .card').length") == 0, "no data without the token"
        browser.driver.find_element("id", "token").send_keys(stack.token)
        browser.js("document.getElementById('token-form').requestSubmit()")
        browser.wait_state({"ready"}, timeout=20)
        # The refused requests are logged by the browser as errors; nothing else may be.
        errors = [e["message"] for e in browser.driver.get_log("browser") if e["level"] == "SEVERE" and "401" not in e["message"]]
        assert not errors, errors
    finally:
        browser.quit()


def thousand_batches(stack, work):
    """Figures: the page's weight, and the time to verify a 1,000-batch export in the browser."""
    export = work / "thousand"
    stack.sawah("certificates", "export", "--config", str(stack.config), "--from", "1", "--to", "1000", "-o", str(export))
    size = sum(p.stat().st_size for p in export.glob("batch-*"))
    browser = Browser(DESKTOP)
    try:
        browser.open((export / "verify.html").as_uri())
        browser.wait_state({"ready"})
        times = []
        for _ in range(3):
            browser.open((export / "verify.html").as_uri())
            browser.wait_state({"ready"})
            result = load_files(browser, export)
            assert result["batches"] == 1000 and not result["failures"], result["verdict"]
            times.append(result["elapsedMs"])
        browser.check_clean(["file://"])
    finally:
        browser.quit()
    weight = (export / "verify.html").stat().st_size
    print(f"figure: verify.html weighs {weight} bytes ({weight / 1024:.1f} KiB), no other file")
    print(f"figure: 1,000-batch export ({size / 1e6:.1f} MB): verified in the browser in {sorted(times)[1]:.0f} ms (median of 3: {', '.join(f'{t:.0f}' for t in times)} ms)")


def main():
    bin_dir, artifacts = sys.argv[1], Path(sys.argv[2]).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    stack = Stack(bin_dir)
    try:
        stack.up()
        stack.simulate(20)
        stack.publish("farm/plot1/soil-temp", [json.dumps({"temperature": 36.4})])
        stack.publish("farm/plot9/unknown", [json.dumps({"temperature": "hot"})])
        stack.simulate(10)
        stack.wait_sealed()
        did = stack.did()
        stack.sawah("identity", "rotate", "--config", str(stack.config))
        stack.simulate(10)
        stack.wait_sealed()
        work = stack.dir / "exports"
        export = stack.export(work / "good")
        verify_url = (export / "verify.html").as_uri()
        for size in (DESKTOP, PHONE):
            browser = Browser(size)
            try:
                if size == DESKTOP:
                    event_hash_vectors(browser, verify_url)
                    event_hash_differential(browser, verify_url, stack, work)
                    tampered_exports(browser, verify_url, export, stack, did, work, artifacts)
                    platform_page(browser, stack, export, did)
                good_export(browser, verify_url, export, stack, did, artifacts)
            finally:
                browser.quit()
        readings = backfill(stack, 30)
        print(f"     backfilled {readings} readings over 30 days", flush=True)
        stack.wait_sealed(timeout=300)
        status_page(stack, artifacts)
        status_token(stack)
        thousand_batches(stack, work)
    finally:
        stack.down()
    print(f"browser tests: {len(passed)} passed; screenshots in {artifacts}")


if __name__ == "__main__":
    main()
