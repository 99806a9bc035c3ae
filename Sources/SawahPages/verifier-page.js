// The verifier page: reads dropped or chosen bundle files, verifies the chain in the browser
// and shows the issuer, one verdict per batch, and the raw series as plots. Everything is
// written with textContent: a bundle's contents never become markup.
"use strict";

(() => {
  const $ = SawahDOM.byId, make = SawahDOM.make;
  const B = SawahBytes;
  const bundleName = /^batch-(\d{1,12})\.(vc\.jwt|epcis\.jsonld|raw-series\.csv)$/;
  const thresholdsName = "alarm-thresholds.json";

  /** Bundles by number from named byte arrays, and what could not be used. */
  function assemble(files) {
    const parts = new Map(), ignored = [], problems = [];
    let thresholds = {};
    for (const { name, bytes } of files) {
      const base = name.split("/").pop();
      const match = bundleName.exec(base);
      if (base === thresholdsName) {
        try { thresholds = JSON.parse(B.text(bytes)) ?? {}; } catch { problems.push(`${base} is not JSON; thresholds are not drawn`); }
        continue;
      }
      if (!match || Number(match[1]) < 1) { ignored.push(base); continue; }
      const number = Number(match[1]);
      if (!parts.has(number)) parts.set(number, { number });
      parts.get(number)[match[2]] = bytes;
    }
    const bundles = [];
    for (const number of [...parts.keys()].sort((a, b) => a - b)) {
      const p = parts.get(number);
      const missing = ["vc.jwt", "epcis.jsonld", "raw-series.csv"].filter((k) => !p[k]).map((k) => `batch-${String(number).padStart(6, "0")}.${k}`);
      const jws = p["vc.jwt"] ? (B.text(p["vc.jwt"]) ?? "").trim() : "";
      let id = "";
      try { id = JSON.parse(B.text(B.base64urlDecode(jws.split(".")[1]) ?? new Uint8Array())).id ?? ""; } catch { id = ""; }
      bundles.push({ number, certificateID: typeof id === "string" ? id : "", jws, epcis: p["epcis.jsonld"] ?? new Uint8Array(), rawSeries: p["raw-series.csv"] ?? new Uint8Array(), missing });
    }
    return { bundles, ignored, problems, thresholds };
  }

  function verdictOf(results, expected) {
    const failures = results.flatMap((r) => r.failures.concat(r.bundle.missing.map((m) => ({ batch: r.bundle.number, check: "files", detail: `${m} is missing` }))));
    const batches = results.length, readings = results.reduce((n, r) => n + r.rows.length, 0);
    const first = results.find((r) => r.signer)?.signer;
    const signed = first ? `signed by ${first.name}${first.name.includes("(key ") ? "" : ` (key ${first.thumbprint})`}` : "no valid signature";
    if (batches === 0) return { level: "bad", text: "NOTHING TO VERIFY: no batch-NNNNNN.vc.jwt files were given", failures };
    if (failures.length > 0) {
      const failed = new Set(failures.map((f) => f.batch)).size;
      return { level: "bad", text: `FAILED: ${failed} of ${batches} batches fail verification (${failures.length} problems)`, failures };
    }
    const anchor = expected.trim();
    if (!anchor) return { level: "warn", text: `ISSUER UNVERIFIED: ${batches} batches, ${readings} readings, intact and ${signed}. Compare that key with the one the farm gave you, or enter it above.`, failures };
    if (first && (anchor === first.name || anchor === first.thumbprint || first.name.startsWith(anchor + " "))) {
      return { level: "good", text: `VERIFIED: ${batches} batches, ${readings} readings, ${signed}`, failures };
    }
    return { level: "bad", text: `ISSUER MISMATCH: ${batches} batches intact, but ${signed}, not by the expected ${anchor}`, failures };
  }

  function showIssuer(results) {
    const panel = $("issuer-panel");
    panel.replaceChildren(make("h2", "Issuer"));
    const seen = new Map();
    for (const r of results) if (r.signer && !seen.has(r.signer.name)) seen.set(r.signer.name, { signer: r.signer, from: r.bundle.number });
    const list = make("dl");
    for (const { signer, from } of seen.values()) {
      list.append(make("dt", `from batch ${from}`), make("dd", signer.name.split(" (key ")[0], "mono"));
      list.append(make("dt", "key thumbprint (RFC 7638)"), make("dd", signer.thumbprint, "mono"));
      if (signer.subject) list.append(make("dt", "X.509 subject"), make("dd", signer.subject, "mono"));
    }
    for (const r of results.filter((x) => x.successor)) list.append(make("dt", `key rotation at batch ${r.bundle.number}`), make("dd", `hands the chain to ${r.successor}`, "mono"));
    panel.append(seen.size ? list : make("p", "No bundle carries a valid signature."));
    panel.hidden = false;
  }

  function showBatches(results) {
    const body = $("batch-rows");
    body.replaceChildren();
    for (const r of results) {
      const problems = r.failures.concat(r.bundle.missing.map((m) => ({ check: "files", detail: `${m} is missing` })));
      const row = make("tr", null, problems.length ? "fail" : "ok");
      row.dataset.batch = r.bundle.number;
      const times = r.rows.map((x) => x.observed);
      const span = times.length ? `${new Date(Math.min(...times)).toISOString().slice(0, 16)} → ${new Date(Math.max(...times)).toISOString().slice(11, 16)}` : "—";
      row.append(make("td", String(r.bundle.number)), make("td", r.kind), make("td", span), make("td", String(r.rows.length)));
      const cell = make("td", problems.length ? "" : "verified");
      for (const p of problems) cell.append(make("div", `${p.check}: ${p.detail}`, "problem"));
      row.append(cell);
      body.append(row);
    }
    $("batches").hidden = false;
  }

  function showPlots(results, thresholds) {
    const area = $("plots");
    area.replaceChildren(make("h2", "Readings"));
    const series = new Map();
    let from = Infinity, to = -Infinity;
    for (const r of results.filter((x) => x.failures.length === 0 && x.bundle.missing.length === 0)) {
      for (const row of r.rows) {
        const name = `${row.sensor}/${row.quantity}`;
        if (!series.has(name)) series.set(name, { unit: row.unit, points: [], alarms: [] });
        series.get(name).points.push([row.observed, row.value]);
        from = Math.min(from, row.observed);
        to = Math.max(to, row.observed);
      }
      for (const alarm of r.alarms) {
        const row = r.rows.find((x) => `${x.sensor}/${x.quantity}` === alarm.name && x.value === alarm.value);
        if (row) series.get(alarm.name)?.alarms.push([row.observed, row.value]);
      }
    }
    if (series.size === 0) { area.append(make("p", "No verified readings to plot.")); return; }
    area.append(make("p", "Raw series of the verified batches: the line is the mean per pixel, the band its minimum and maximum; red dots are the alarms the certificates report; dashed lines are alarm thresholds from the gateway's configuration (alarm-thresholds.json, not signed).", "note"));
    for (const name of [...series.keys()].sort()) {
      const s = series.get(name);
      s.points.sort((a, b) => a[0] - b[0]);
      const limits = thresholds[name.split("/")[1]] ?? {};
      const lines = [];
      if (typeof limits.min === "number") lines.push({ value: limits.min, label: `alarm below ${limits.min}` });
      if (typeof limits.max === "number") lines.push({ value: limits.max, label: `alarm above ${limits.max}` });
      const figure = make("figure");
      figure.dataset.series = name;
      figure.append(SawahPlot.render(SawahPlot.downsample(s.points, 600), { title: name, unit: s.unit, thresholds: lines, alarms: s.alarms, from, to }));
      area.append(figure);
    }
  }

  async function run(files) {
    document.body.dataset.state = "verifying";
    const status = $("progress");
    try {
      if (!window.crypto?.subtle) throw new Error("this browser offers no WebCrypto here: open the page from a file or over HTTPS");
      const { bundles, ignored, problems, thresholds } = assemble(files);
      const started = performance.now();
      const results = await SawahChain.verifyChain(bundles, async (done, total) => {
        status.textContent = `verified ${done} of ${total}…`;
        await new Promise((resolve) => setTimeout(resolve, 0));
      });
      const elapsed = performance.now() - started;
      const verdict = verdictOf(results, $("expected-issuer").value);
      const banner = $("verdict");
      banner.className = "verdict " + verdict.level;
      banner.textContent = verdict.text;
      banner.hidden = false;
      // The broken checks first, where a person looks: the table below has them all too.
      const list = $("problems");
      list.replaceChildren(...verdict.failures.slice(0, 20).map((f) => make("li", `batch ${f.batch}: ${f.check}: ${f.detail}`)));
      if (verdict.failures.length > 20) list.append(make("li", `… and ${verdict.failures.length - 20} more in the table below`));
      list.hidden = verdict.failures.length === 0;
      status.textContent = `${bundles.length} bundles checked in ${elapsed.toFixed(0)} ms` + (ignored.length ? `; ignored ${ignored.length} other file${ignored.length === 1 ? "" : "s"} (${ignored.slice(0, 3).join(", ")}${ignored.length > 3 ? ", …" : ""})` : "") + (problems.length ? `; ${problems.join("; ")}` : "");
      showIssuer(results);
      showBatches(results);
      showPlots(results, thresholds);
      window.sawahVerifier.last = {
        verdict: verdict.text, level: verdict.level, elapsedMs: elapsed, batches: bundles.length,
        failures: verdict.failures.map((f) => ({ batch: f.batch, check: f.check, detail: f.detail })),
      };
    } catch (error) {
      $("verdict").className = "verdict bad";
      $("verdict").textContent = `Cannot verify: ${error.message}`;
      $("verdict").hidden = false;
      window.sawahVerifier.last = { verdict: error.message, level: "bad", failures: [] };
    }
    document.body.dataset.state = "done";
  }

  async function readFiles(fileList) {
    return Promise.all([...fileList].map(async (file) => ({ name: file.webkitRelativePath || file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
  }

  // A dropped folder arrives as directory entries; walk them.
  async function entryFiles(entry) {
    if (entry.isFile) return [await new Promise((resolve, reject) => entry.file(resolve, reject))];
    const reader = entry.createReader(), all = [];
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) all.push(...(await entryFiles(child)));
    }
    return all;
  }

  let lastFiles = null;
  const start = async (files) => { lastFiles = files; await run(files); };
  for (const id of ["files", "folder"]) $(id).addEventListener("change", async (event) => start(await readFiles(event.target.files)));
  $("expected-issuer").addEventListener("change", () => { if (lastFiles) run(lastFiles); });
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
    const files = entries.length ? (await Promise.all(entries.map(entryFiles))).flat() : [...event.dataTransfer.files];
    await start(await readFiles(files));
  });

  /** For tests and scripts: the event hash and the whole check on named byte arrays. */
  window.sawahVerifier = {
    preHash: (event, context) => new SawahEventHash.Hasher(context).preHash(event),
    eventID: (event, context) => new SawahEventHash.Hasher(context).eventID(event),
    verifyFiles: (files) => start(files.map((f) => ({ name: f.name, bytes: B.utf8(f.text) }))),
    last: null,
  };
  document.body.dataset.state = "ready";
})();
