// The gateway's status page: polls /api/status (and /api/series when a reading was committed
// or the range changed) and redraws. Values are written with textContent only.
"use strict";

(() => {
  const $ = SawahDOM.byId, make = SawahDOM.make;
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fromHash) {
    sessionStorage.setItem("sawah-token", decodeURIComponent(fromHash[1]));
    history.replaceState(null, "", location.pathname);
  }
  let range = "24h", lastSequence = null, seriesRange = null, series = null, timer = null, refresh = 5;

  function age(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds < 120) return `${Math.round(seconds)} s`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86400)} days`;
  }
  function bytes(n) {
    if (n === null || n === undefined) return "unknown";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
  }

  async function api(path) {
    const token = sessionStorage.getItem("sawah-token");
    const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: "no-store" });
    if (response.status === 401) {
      $("token-form").hidden = false;
      $("token-problem").textContent = token ? "That token was refused." : "";
      throw new Error("unauthorised");
    }
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    $("token-form").hidden = true;
    return body;
  }

  function card(title, value, detail, level = "") {
    const node = make("div", null, "card " + level);
    node.append(make("div", title, "muted"), make("div", value, "big"));
    if (detail) node.append(make("div", detail));
    return node;
  }

  function drawOverview(s) {
    $("title").textContent = `Sawah gateway ${s.gateway}`;
    const alerts = $("alerts");
    alerts.replaceChildren();
    const overview = $("overview");
    overview.replaceChildren();
    const disk = s.disk;
    const diskLevel = disk.read_only || disk.full ? "dead" : disk.full_in_hours !== null && disk.full_in_hours < 72 ? "stale" : "";
    overview.append(card("Disk free", bytes(disk.free_bytes),
      disk.read_only ? "READ-ONLY: nothing can be stored" : disk.full ? "FULL: nothing can be stored" : disk.full_in_hours === null ? "not filling" : `full in about ${age(disk.full_in_hours * 3600)}`, diskLevel));
    const journal = s.journal;
    overview.append(card("Readings", journal.readings.toLocaleString("en"), `${journal.readings_last_hour.toLocaleString("en")} in the last hour; ${bytes(journal.bytes)} journal`));
    const certs = s.certificates;
    const unsealed = Object.entries(certs.unsealed).map(([lot, n]) => `${lot}: ${n} unsealed`).join("; ");
    overview.append(card("Certificates", `${certs.batches} batches`, `last sealed ${certs.last_sealed ? certs.last_sealed.slice(0, 19).replace("T", " ") + " UTC" : "never"}${unsealed ? "; " + unsealed : ""}`));
    if (s.clock) {
      const synced = s.clock.synchronized, trusted = s.clock_policy === "trusted";
      const detail = synced ? `max error ${s.clock.max_error_ms ?? "?"} ms`
        : trusted ? "no NTP; the config trusts the board's clock (clock = \"trusted\")"
        : `readings wait for the clock before they are sealed (${s.clock_held.awaiting_sync} waiting)`;
      overview.append(card("Clock", synced ? "synchronised" : "not synchronised", detail, synced || trusted ? "" : "stale"));
    }
    if (disk.full || disk.read_only) alerts.append(make("div", "The journal cannot store readings: the broker holds them until space is freed.", "verdict bad"));
  }

  function drawUplinks(s) {
    const body = $("uplinks");
    body.replaceChildren();
    if (s.uplinks.length === 0) { const row = make("tr"); const cell = make("td", "no platform configured", "muted"); cell.colSpan = 6; row.append(cell); body.append(row); }
    for (const u of s.uplinks) {
      const row = make("tr", null, u.dead > 0 ? "fail" : "");
      row.append(make("td", u.platform), make("td", String(u.delivered)), make("td", String(u.pending)), make("td", String(u.dead)),
        make("td", age(u.oldest_undelivered_age_seconds)), make("td", u.pending === 0 ? "nothing waiting" : u.seconds_to_drain === null ? "no recent delivery" : age(u.seconds_to_drain)));
      if (u.last_error) row.lastChild.append(make("div", `last error: ${u.last_error}`, "problem"));
      body.append(row);
    }
  }

  function drawQuarantine(s) {
    const body = $("quarantine");
    body.replaceChildren();
    if (s.quarantine.length === 0) { const row = make("tr"); const cell = make("td", "nothing quarantined", "muted"); cell.colSpan = 3; row.append(cell); body.append(row); }
    for (const q of s.quarantine) {
      const row = make("tr");
      row.append(make("td", q.received_at.slice(0, 19).replace("T", " ")), make("td", q.source, "mono"), make("td", q.reason));
      body.append(row);
    }
  }

  function drawSensors(s) {
    const area = $("sensors");
    area.replaceChildren();
    const bySeries = new Map((series?.series ?? []).map((x) => [`${x.sensor}/${x.quantity}`, x]));
    for (const v of s.latest) {
      const name = `${v.sensor}/${v.quantity}`;
      const level = v.age_seconds > 7200 ? "dead" : v.age_seconds > 900 ? "stale" : "";
      const node = card(name, `${Number(v.value.toPrecision(6))} ${SawahPlot.unit(v.unit)}`.trim(), `${age(v.age_seconds)} ago`, level);
      node.dataset.series = name;
      const plot = bySeries.get(name);
      const buckets = (plot?.buckets ?? []).map((b) => [b[0] + series.bucket_ms / 2, b[1], b[2], b[3]]);
      node.append(SawahPlot.render(buckets, { title: `last ${range}`, unit: v.unit, from: series?.from, to: series?.to, compact: true }));
      area.append(node);
    }
    if (s.latest.length === 0) area.append(make("p", "No readings yet.", "muted"));
  }

  async function tick() {
    clearTimeout(timer);
    try {
      const s = await api("/api/status");
      refresh = s.refresh_seconds ?? refresh;
      if (s.journal.last_sequence !== lastSequence || range !== seriesRange) {
        series = await api(`/api/series?range=${range}`);
        seriesRange = range;
        lastSequence = s.journal.last_sequence;
      }
      drawOverview(s);
      drawSensors(s);
      drawUplinks(s);
      drawQuarantine(s);
      $("updated").textContent = `updated ${new Date().toISOString().slice(11, 19)} UTC; refreshes every ${refresh} s`;
      document.body.dataset.state = "ready";
      document.body.dataset.sequence = String(lastSequence);
    } catch (error) {
      $("updated").textContent = `not updated: ${error.message}`;
      document.body.dataset.state = error.message === "unauthorised" ? "unauthorised" : "error";
    }
    timer = setTimeout(tick, refresh * 1000);
  }

  for (const button of document.querySelectorAll("button[data-range]")) {
    button.addEventListener("click", () => {
      range = button.dataset.range;
      for (const other of document.querySelectorAll("button[data-range]")) other.setAttribute("aria-pressed", String(other === button));
      $("range-note").textContent = `(${button.textContent}, server-side buckets)`;
      tick();
    });
  }
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("sawah-token", $("token").value.trim());
    tick();
  });
  tick();
})();
