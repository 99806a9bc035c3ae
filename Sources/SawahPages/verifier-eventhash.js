// The CBV 2.0 canonical event hash, in JavaScript, rule for rule as SawahTraceability's
// EventHash, EventHashRule, HashNumberFormat, EPCISTimestamp and DigitalLinkNormaliser. The
// browser tests check it against the GS1 reference test vectors the Swift tests use.
"use strict";

const SawahEventHash = (() => {
  const cbv = "https://ref.gs1.org/cbv/";
  const gs1 = "https://gs1.org/voc/";
  const value = (vocabulary = null) => ({ kind: "value", vocabulary });
  const list = (item, rule) => ({ kind: "list", item, rule });
  const object = (fields, extensible) => ({ kind: "object", fields, extensible });
  const typedList = (item, typeVocabulary) => ({ kind: "typedList", item, typeVocabulary });

  const quantityElement = list("quantityElement", object([["epcClass", value()], ["quantity", value()], ["uom", value()]], false));
  const sensorMetadata = object(
    ["time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"].map((k) => [k, value()]), true);
  const sensorReport = object([
    ["type", value(gs1)], ["exception", value(gs1)], ["deviceID", value()], ["deviceMetadata", value()], ["rawData", value()],
    ["dataProcessingMethod", value()], ["time", value()], ["microorganism", value()], ["chemicalSubstance", value()], ["value", value()],
    ["component", value(cbv + "Comp-")], ["stringValue", value()], ["booleanValue", value()], ["hexBinaryValue", value()],
    ["uriValue", value()], ["minValue", value()], ["maxValue", value()], ["meanValue", value()], ["sDev", value()], ["percRank", value()],
    ["percValue", value()], ["uom", value()], ["coordinateReferenceSystem", value()],
  ], true);
  const eventOrder = [
    ["eventTime", value()], ["eventTimeZoneOffset", value()], ["certificationInfo", value()], ["parentID", value()],
    ["epcList", list("epc", value())], ["inputEPCList", list("epc", value())], ["childEPCs", list("epc", value())],
    ["quantityList", quantityElement], ["childQuantityList", quantityElement], ["inputQuantityList", quantityElement],
    ["outputEPCList", list("epc", value())], ["outputQuantityList", quantityElement], ["action", value()], ["transformationID", value()],
    ["bizStep", value(cbv + "BizStep-")], ["disposition", value(cbv + "Disp-")],
    ["persistentDisposition", object([["set", value(cbv + "Disp-")], ["unset", value(cbv + "Disp-")]], false)],
    ["readPoint", object([["id", value()]], true)], ["bizLocation", object([["id", value()]], true)],
    ["bizTransactionList", typedList("bizTransaction", cbv + "BTT-")], ["sourceList", typedList("source", cbv + "SDT-")],
    ["destinationList", typedList("destination", cbv + "SDT-")],
    ["sensorElementList", list("sensorElement", object([["sensorMetadata", sensorMetadata], ["sensorReport", sensorReport]], true))],
    ["ilmd", object([], true)],
  ];
  const ignored = new Set(["type", "eventID", "recordTime", "errorDeclaration", "@context"]);
  const cbvURNs = [
    ["urn:epcglobal:cbv:bizstep:", cbv + "BizStep-"], ["urn:epcglobal:cbv:disp:", cbv + "Disp-"], ["urn:epcglobal:cbv:btt:", cbv + "BTT-"],
    ["urn:epcglobal:cbv:sdt:", cbv + "SDT-"], ["urn:epcglobal:cbv:er:", cbv + "ER-"],
  ];

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  // Swift's Character.isWhitespace: Unicode White_Space, which includes U+0085 but not U+FEFF.
  const space = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  const edges = new RegExp(`^${space}+|${space}+$`, "gu");
  const trim = (text) => text.replace(edges, "");

  /** Python-float number text (HashNumberFormat): integers in full, else shortest round-trip. */
  function formatNumber(v) {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
    if (Number.isInteger(v)) return v === 0 ? "0" : BigInt(v).toString();
    if (Math.abs(v) < 1e-4) {
      const [mantissa, exponent] = v.toExponential().split("e");
      return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, "0")}`;
    }
    return String(v);
  }
  function formatIfNumeric(text) {
    if (!/^[0-9+\-.eE]*$/.test(text) || !/[0-9]/.test(text)) return text;
    for (let i = 0; i < text.length; i++) {
      if ((text[i] === "+" || text[i] === "-") && i > 0 && text[i - 1] !== "e" && text[i - 1] !== "E") return text;
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return text;
    return formatNumber(Number(text));
  }

  /** Milliseconds of an ISO 8601 date-time with a zone, as EPCISTimestamp.milliseconds; null if not one. */
  function timestampMillis(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(text);
    if (!m) return null;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
    const micros = m[7] ? Number(m[7].slice(0, 6).padEnd(6, "0")) : 0;
    const offset = m[8] ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
    const days = daysFromCivil(year, month, day);
    const seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset * 60;
    const q = Math.floor(micros / 1000), r = micros % 1000;
    const rounded = r > 500 || (r === 500 && q % 2 === 1) ? q + 1 : q;
    return seconds * 1000 + rounded;
  }
  function daysFromCivil(year, month, day) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400), yoe = y - era * 400;
    const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }
  function formatTimestamp(millis) {
    const date = new Date(millis);
    return date.getUTCFullYear().toString().padStart(4, "0") + date.toISOString().slice(4);
  }

  const primaryKeys = {
    "00": [], "01": ["21", "10", "235"], "253": [], "255": [], "401": [], "402": [], "414": ["254"], "417": [], "8003": [],
    "8004": [], "8006": ["21", "10"], "8010": ["8011"], "8017": [], "8018": [],
  };
  const digits = (t) => /^[0-9]+$/.test(t);
  function checkDigit(key) {
    let sum = 0;
    [...key].reverse().forEach((ch, i) => { const d = ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) - 48 : 0; sum += i % 2 === 0 ? d * 3 : d; });
    return String((10 - (sum % 10)) % 10);
  }
  const percentEncode = (t) => t.replace(/[!()*+,:]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  function fromEPC(uri) {
    const rest = uri.slice("urn:epc:id:".length);
    const colon = rest.indexOf(":");
    if (colon <= 0 || colon === rest.length - 1) return null;
    const scheme = rest.slice(0, colon), f = rest.slice(colon + 1).split(".");
    if (scheme === "sgtin" && f.length === 3 && digits(f[0]) && digits(f[1]) && f[0].length + f[1].length === 13) {
      const gtin = f[1][0] + f[0] + f[1].slice(1);
      return `https://id.gs1.org/01/${gtin}${checkDigit(gtin)}/21/${percentEncode(f[2])}`;
    }
    if (scheme === "sscc" && f.length === 2 && digits(f[0]) && digits(f[1]) && f[0].length + f[1].length === 17) {
      const sscc = f[1][0] + f[0] + f[1].slice(1);
      return `https://id.gs1.org/00/${sscc}${checkDigit(sscc)}`;
    }
    if (scheme === "sgln" && f.length === 3 && digits(f[0]) && f[0].length + f[1].length === 12) {
      const gln = f[0] + f[1], base = `https://id.gs1.org/414/${gln}${checkDigit(gln)}`;
      return f[2] === "0" ? base : `${base}/254/${percentEncode(f[2])}`;
    }
    if (scheme === "grai" && f.length === 3 && digits(f[0]) && f[0].length + f[1].length === 12) {
      const grai = "0" + f[0] + f[1];
      return `https://id.gs1.org/8003/${grai}${checkDigit(grai)}${percentEncode(f[2])}`;
    }
    if (scheme === "giai" && f.length === 2 && digits(f[0])) return `https://id.gs1.org/8004/${f[0]}${percentEncode(f[1])}`;
    return null;
  }
  function fromWebURI(uri) {
    const afterScheme = uri.slice(uri.indexOf(":") + 3);
    const slash = afterScheme.indexOf("/");
    if (slash < 0) return null;
    let path = afterScheme.slice(slash);
    const cut = path.search(/[?#]/);
    if (cut >= 0) path = path.slice(0, cut);
    let segments = path.split("/").slice(1);
    const start = segments.findIndex((s) => Object.hasOwn(primaryKeys, s));
    if (start < 0) return null;
    segments = segments.slice(start);
    if (segments.length < 2 || segments[1] === "") return null;
    const qualifiers = primaryKeys[segments[0]], pairs = {};
    for (let i = 2; i + 1 < segments.length; i += 2) pairs[segments[i]] = segments[i + 1];
    let result = `https://id.gs1.org/${segments[0]}/${segments[1]}`;
    const finest = ["21", "235", "254", "8011", "10"].find((k) => qualifiers.includes(k) && Object.hasOwn(pairs, k));
    if (finest) result += `/${finest}/${pairs[finest]}`;
    return result;
  }
  function normaliseLink(uri) {
    if (uri.startsWith("urn:epc:id:")) return fromEPC(uri);
    if (uri.startsWith("https://") || uri.startsWith("http://")) return fromWebURI(uri);
    return null;
  }

  // Swift's split(separator:maxSplits: 1) with empty pieces omitted.
  function splitOnce(text, separator) {
    const parts = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== separator) continue;
      if (i > start) parts.push(text.slice(start, i));
      start = i + 1;
      if (parts.length === 1) break;
    }
    if (start < text.length) parts.push(text.slice(start));
    return parts;
  }

  class Hasher {
    constructor(context) {
      this.namespaces = { gs1, cbv };
      const entries = Array.isArray(context) ? context : context == null ? [] : [context];
      for (const entry of entries) {
        if (!isObject(entry)) continue;
        for (const [prefix, uri] of Object.entries(entry)) if (typeof uri === "string") this.namespaces[prefix] = uri;
      }
    }
    sortedJoin(parts) {
      return parts.filter((p) => p !== "").map((p) => [p, SawahBytes.utf8(p)]).sort((a, b) => SawahBytes.compareBytes(a[1], b[1])).map((p) => p[0]).join("");
    }
    scalarText(v) {
      if (typeof v === "string") return v;
      if (typeof v === "number") return formatNumber(v);
      if (typeof v === "boolean") return v ? "True" : "False";
      return null;
    }
    canonicalScalar(text) {
      let v = text;
      const parts = splitOnce(v, ":");
      if (parts.length === 2 && !parts[1].startsWith("//") && Object.hasOwn(this.namespaces, parts[0])) v = this.namespaces[parts[0]] + parts[1];
      for (const [urn, uri] of cbvURNs) if (v.startsWith(urn)) v = uri + v.slice(urn.length);
      v = formatIfNumeric(v);
      return normaliseLink(v) ?? v;
    }
    canonicalValue(key, raw, vocabulary) {
      const text = trim(raw), lower = key.toLowerCase();
      if (lower.includes("time") && !lower.includes("offset")) {
        const millis = timestampMillis(text);
        return millis === null ? text : formatTimestamp(millis);
      }
      if (vocabulary && text !== "" && !text.includes(":")) return vocabulary + text;
      return this.canonicalScalar(text);
    }
    render(key, v, rule) {
      switch (rule.kind) {
        case "value": {
          if (Array.isArray(v)) return this.sortedJoin(v.map((item) => this.render(key, item, rule)));
          const text = this.scalarText(v);
          if (text === null) return "";
          const canonical = this.canonicalValue(key, text, rule.vocabulary);
          return canonical === "" ? "" : `${key}=${canonical}`;
        }
        case "list": {
          const items = Array.isArray(v) ? v : [v];
          const inner = this.sortedJoin(items.map((item) => this.render(rule.item, item, rule.rule)));
          return inner === "" ? "" : key + inner;
        }
        case "object": {
          if (Array.isArray(v)) return this.sortedJoin(v.map((item) => this.render(key, item, rule)));
          if (!isObject(v)) return "";
          let inner = "";
          for (const [field, fieldRule] of rule.fields) if (Object.hasOwn(v, field)) inner += this.render(field, v[field], fieldRule);
          if (rule.extensible) inner += this.extensions(v, new Set(rule.fields.map((f) => f[0])));
          return inner === "" ? "" : key + inner;
        }
        case "typedList": {
          if (!Array.isArray(v)) return "";
          let inner = "";
          for (const entry of v.filter(isObject)) {
            const id = Object.hasOwn(entry, rule.item) ? this.scalarText(entry[rule.item]) : null;
            if (id !== null) inner += `${rule.item}=${this.canonicalValue(rule.item, id, null)}`;
            const type = Object.hasOwn(entry, "type") ? this.scalarText(entry.type) : null;
            if (type !== null) inner += `type=${this.canonicalValue("type", type, rule.typeVocabulary)}`;
          }
          return inner === "" ? "" : key + inner;
        }
      }
      return "";
    }
    extensions(members, known) {
      const parts = [];
      for (const [key, v] of Object.entries(members)) {
        if (!known.has(key) && !key.startsWith("@")) parts.push(...this.genericParts(this.expandedKey(key), v));
      }
      return this.sortedJoin(parts);
    }
    genericParts(key, v) {
      if (Array.isArray(v)) return v.flatMap((item) => this.genericParts(key, item));
      if (isObject(v)) {
        const children = [];
        for (const [k, child] of Object.entries(v)) if (!k.startsWith("@")) children.push(...this.genericParts(this.expandedKey(k), child));
        return [key + this.sortedJoin(children)];
      }
      const text = this.scalarText(v);
      if (text === null) return [key];
      const canonical = this.canonicalScalar(trim(text));
      return [canonical === "" ? key : `${key}=${canonical}`];
    }
    expandedKey(key) {
      const parts = splitOnce(key, ":");
      return parts.length === 2 && Object.hasOwn(this.namespaces, parts[0]) ? `{${this.namespaces[parts[0]]}}${parts[1]}` : key;
    }
    /** The canonical pre-hash string of one event object. */
    preHash(event) {
      if (!isObject(event)) return "";
      let out = typeof event.type === "string" ? "eventType=" + event.type : "";
      const known = new Set(ignored);
      for (const [key, rule] of eventOrder) {
        known.add(key);
        if (Object.hasOwn(event, key)) out += this.render(key, event[key], rule);
      }
      return out + this.extensions(event, known);
    }
    /** `ni:///sha-256;<hex>?ver=CBV2.0` for one event object. */
    async eventID(event) {
      return "ni:///sha-256;" + SawahBytes.hex(await SawahBytes.sha256(SawahBytes.utf8(this.preHash(event)))) + "?ver=CBV2.0";
    }
  }

  return { Hasher, formatNumber, timestampMillis, formatTimestamp };
})();
