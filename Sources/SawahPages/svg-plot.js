// A time-series plot in plain SVG, shared by the verifier and the status page: a min–max band
// and a mean line per time bucket, dashed threshold lines and marked alarm points. No library:
// a few hundred lines of SVG are smaller than any chart package and need no licence review.
"use strict";

const SawahPlot = (() => {
  const ns = "http://www.w3.org/2000/svg";
  const el = (name, attributes = {}, text = null) => {
    const node = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
    if (text !== null) node.textContent = text;
    return node;
  };

  /** Buckets of [time, min, max, mean] from raw points, at most `width` of them. */
  function downsample(points, width) {
    if (points.length <= width) return points.map(([t, v]) => [t, v, v, v]);
    const t0 = points[0][0], span = Math.max(1, points[points.length - 1][0] - t0);
    const buckets = new Map();
    for (const [t, v] of points) {
      const index = Math.min(width - 1, Math.floor(((t - t0) / span) * width));
      const b = buckets.get(index);
      if (b) { b[1] = Math.min(b[1], v); b[2] = Math.max(b[2], v); b[3] += v; b[4] += 1; } else buckets.set(index, [t, v, v, v, 1]);
    }
    return [...buckets.values()].map(([t, lo, hi, sum, n]) => [t, lo, hi, sum / n]);
  }

  function niceTicks(lo, hi, count) {
    const span = hi - lo || 1, step0 = span / count, magnitude = 10 ** Math.floor(Math.log10(step0));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= step0);
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
    return ticks;
  }

  // UN/ECE Rec 20 codes as a person reads them; others are shown as they are.
  const unitNames = { CEL: "°C", FAH: "°F", KEL: "K", P1: "%", MMT: "mm", CMT: "cm", MTR: "m", A97: "hPa", KPA: "kPa", LTR: "L", MQH: "m³/h", LUX: "lx", C62: "", HUR: "h", DAY: "days" };
  const unit = (code) => (Object.hasOwn(unitNames, code) ? unitNames[code] : code);

  function timeLabel(millis, span) {
    const iso = new Date(millis).toISOString();
    return span > 2 * 86400000 ? iso.slice(5, 10) : span > 120000 ? iso.slice(11, 16) : iso.slice(11, 19);
  }

  /**
   * An SVG element for `buckets` ([time, min, max, mean], time-ordered). `options`: title, unit,
   * thresholds [{value, label}], alarms [[time, value]], from/to (the axis span).
   */
  function render(buckets, options) {
    // A compact plot (a status card on a phone) has fewer units across, so its text is larger.
    const [width, height] = options.compact ? [360, 170] : [640, 220];
    const left = 58, right = 10, top = 26, bottom = 28;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "plot", "aria-label": options.title });
    const shownUnit = unit(options.unit ?? "");
    svg.appendChild(el("text", { x: left, y: 17, class: "plot-title" }, `${options.title}${shownUnit ? ` (${shownUnit})` : ""}`));
    const values = buckets.flatMap((b) => [b[1], b[2]]).concat((options.thresholds ?? []).map((t) => t.value), (options.alarms ?? []).map((a) => a[1]));
    if (buckets.length === 0) {
      svg.appendChild(el("text", { x: width / 2, y: height / 2, class: "plot-empty", "text-anchor": "middle" }, "no readings in this range"));
      return svg;
    }
    let lo = Math.min(...values), hi = Math.max(...values);
    if (lo === hi) { lo -= 1; hi += 1; }
    const pad = (hi - lo) * 0.08;
    lo -= pad; hi += pad;
    const from = options.from ?? buckets[0][0], to = Math.max(options.to ?? buckets[buckets.length - 1][0], from + 1);
    const x = (t) => left + ((t - from) / (to - from)) * (width - left - right);
    const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
    for (const tick of niceTicks(lo, hi, 4)) {
      svg.appendChild(el("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: "plot-grid" }));
      svg.appendChild(el("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "plot-axis" }, String(tick)));
    }
    for (let i = 0; i <= 4; i++) {
      const t = from + ((to - from) * i) / 4;
      svg.appendChild(el("text", { x: x(t), y: height - 8, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle", class: "plot-axis" }, timeLabel(t, to - from)));
    }
    if (buckets.some((b) => b[1] !== b[2])) {
      const upper = buckets.map((b) => `${x(b[0]).toFixed(1)},${y(b[2]).toFixed(1)}`);
      const lower = buckets.map((b) => `${x(b[0]).toFixed(1)},${y(b[1]).toFixed(1)}`).reverse();
      svg.appendChild(el("polygon", { points: upper.concat(lower).join(" "), class: "plot-band" }));
    }
    svg.appendChild(el("polyline", { points: buckets.map((b) => `${x(b[0]).toFixed(1)},${y(b[3]).toFixed(1)}`).join(" "), class: "plot-line", "data-points": buckets.length }));
    // A sparse series is drawn as points too: a line between two readings a day apart says
    // nothing about the hours between them, and a single reading would be invisible.
    if (buckets.length <= 40) for (const b of buckets) svg.appendChild(el("circle", { cx: x(b[0]).toFixed(1), cy: y(b[3]).toFixed(1), r: 3, class: "plot-point" }));
    for (const threshold of options.thresholds ?? []) {
      svg.appendChild(el("line", { x1: left, x2: width - right, y1: y(threshold.value), y2: y(threshold.value), class: "plot-threshold" }));
      svg.appendChild(el("text", { x: width - right - 4, y: y(threshold.value) - 4, "text-anchor": "end", class: "plot-threshold-label" }, threshold.label));
    }
    for (const [t, v] of options.alarms ?? []) {
      const dot = el("circle", { cx: x(t), cy: y(v), r: 5, class: "plot-alarm" });
      dot.appendChild(el("title", {}, `alarm: ${v} at ${new Date(t).toISOString()}`));
      svg.appendChild(dot);
    }
    return svg;
  }

  return { render, downsample, unit };
})();
