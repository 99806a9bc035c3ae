// One verdict per bundle and for the chain, with the checks of SawahTraceability's
// CertificateVerifier: ES256 and the canonical JWS, the issuer key (did:key, x5c leaf, jwk),
// the credential, both digests, each event's CBV 2.0 hash, the statistics against the raw
// series, the hash links and key rotations. Failures use the CLI's check names.
"use strict";

const SawahChain = (() => {
  const B = SawahBytes, K = SawahKeys;
  const rotationType = "SawahKeyRotation", recordType = "SawahChainRecord", derivedType = "SawahDerivedCredential";
  const rawHeader = "sawah-raw-series/1\nseq,sensor,quantity,value,unit,observed_at,received_at,quality\n";

  const at = (json, path) => path.split(".").reduce((v, k) => (v !== null && typeof v === "object" && !Array.isArray(v) ? v[k] : undefined), json);
  const hasType = (credential, type) => Array.isArray(credential?.type) && credential.type.includes(type);

  /** Rows of a raw series, or an Error naming the line (RawSeries.parse). */
  function parseRawSeries(bytes) {
    const text = B.text(bytes);
    if (text === null || !text.startsWith(rawHeader)) return new Error("raw series line 1: not a sawah-raw-series/1 file");
    const rows = [];
    const lines = text.slice(rawHeader.length).split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === "") continue;
      const f = lines[i].split(",");
      const observed = f.length === 8 ? SawahEventHash.timestampMillis(f[5]) : null;
      const received = f.length === 8 ? SawahEventHash.timestampMillis(f[6]) : null;
      const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      if (f.length !== 8 || !/^[+-]?\d+$/.test(f[0]) || !number.test(f[3]) || observed === null || received === null || !/^[+-]?\d+$/.test(f[7])) {
        return new Error(`raw series line ${i + 3}: expected 8 fields: ${lines[i].slice(0, 80)}`);
      }
      rows.push({ seq: Number(f[0]), sensor: f[1], quantity: f[2], value: Number(f[3]), unit: f[4], observed, quality: Number(f[7]) });
    }
    return rows;
  }

  /** min/max/mean as SensorStatistics gives them (Welford), rounded to 6 places. */
  function statistics(values) {
    let count = 0, mean = 0, low = Infinity, high = -Infinity;
    for (const v of values) {
      count += 1;
      mean += (v - mean) / count;
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    const round = (x) => (Math.sign(x) * Math.round(Math.abs(x) * 1e6)) / 1e6;
    return { min: round(low), max: round(high), mean: round(mean) };
  }

  function relatedResources(credential) {
    return (Array.isArray(credential.relatedResource) ? credential.relatedResource : [])
      .filter((r) => typeof r?.id === "string" && typeof r?.mediaType === "string" && typeof r?.digestSRI === "string");
  }

  /** The issuer's key and its name, as CertificateVerifier.issuerKey and signerName. */
  async function issuerKey(did, header, fail) {
    let chainPoint = null, subject = null;
    if (Array.isArray(header.x5c) && typeof header.x5c[0] === "string") {
      try {
        const der = B.base64Decode(header.x5c[0]);
        if (!der) throw new Error("the leaf is not base64");
        const leaf = K.certificateLeaf(der);
        subject = leaf.subject;
        const key = await crypto.subtle.importKey("spki", leaf.spki, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
        chainPoint = await K.pointOf(key);
      } catch (error) {
        fail("x5c", `the leaf certificate cannot be read: ${error.message}`);
      }
    }
    const kid = typeof header.kid === "string" ? header.kid : "none";
    let point;
    if (did.startsWith("did:key:")) {
      point = K.didKeyPoint(did);
      if (point instanceof Error) throw point;
      if (kid !== did + "#" + did.slice("did:key:".length)) fail("signature", `kid ${kid} is not the issuer's key ${did}`);
      if (chainPoint && !B.equal(chainPoint, point)) fail("x5c", `the certificate's key is not the issuer's ${did}`);
    } else {
      if (!kid.startsWith(did + "#")) fail("signature", `kid ${kid} does not belong to the issuer ${did}`);
      if (chainPoint) point = chainPoint;
      else if (header.jwk?.kty === "EC" && header.jwk?.crv === "P-256") {
        const key = await crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: header.jwk.x, y: header.jwk.y }, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
        point = await K.pointOf(key);
      } else throw new Error(`${did} cannot be resolved offline and the JWS carries neither x5c nor jwk`);
    }
    const thumbprint = await K.thumbprint(point);
    return { key: await K.importRaw(point), name: did.startsWith("did:key:") ? did : `${did} (key ${thumbprint})`, thumbprint, subject };
  }

  /** Splits and checks a compact JWS: canonical parts, ES256, low S, the signature. */
  async function openJWS(compact) {
    const parts = compact.trim().split(".");
    if (parts.length !== 3) throw new Error(`expected 3 dot-separated parts, found ${parts.length}`);
    const [h, p, s] = parts.map(B.base64urlDecode);
    if (!h) throw new Error("the header is not canonical base64url");
    if (!p) throw new Error("the payload is not canonical base64url");
    if (!s) throw new Error("the signature is not canonical base64url");
    let header, credential;
    try { header = JSON.parse(B.text(h)); } catch { throw new Error("the header is not JSON"); }
    try { credential = JSON.parse(B.text(p)); } catch { throw new Error("the payload is not JSON"); }
    return { header, credential, signature: s, signingInput: B.utf8(parts[0] + "." + parts[1]), compact: compact.trim() };
  }

  /** Checks one bundle against the one before it; returns the failures and the signer. */
  async function verifyBundle(bundle, previous, hasher) {
    const failures = [];
    const fail = (check, detail) => failures.push({ batch: bundle.number, check, detail });
    const result = { failures, signer: null, kind: "batch", credential: null, rows: [], alarms: [] };
    let jws;
    try {
      jws = await openJWS(bundle.jws);
    } catch (error) {
      fail("signature", error.message);
      return result;
    }
    const credential = (result.credential = jws.credential);
    const did = at(credential, "issuer.id");
    if (typeof did !== "string") { fail("credential", "no issuer.id"); return result; }
    try {
      const issuer = await issuerKey(did, jws.header, fail);
      if (jws.header.alg !== "ES256") throw new Error(jws.header.alg ? `unsupported algorithm ${jws.header.alg}` : "the header has no alg");
      if (jws.signature.length !== 64) throw new Error("an ES256 signature is 64 bytes (r || s)");
      if (K.isHighS(jws.signature)) throw new Error("the ES256 signature is not canonical (high S): only s ≤ n/2 is accepted");
      const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, issuer.key, jws.signature, jws.signingInput);
      if (!ok) throw new Error("the signature does not verify");
      result.signer = issuer;
    } catch (error) {
      fail("signature", `${error.message} (issuer ${did})`);
      return result;
    }
    if (jws.header.typ !== "vc+jwt") fail("signature", `typ is ${jws.header.typ ?? "missing"}, expected vc+jwt`);
    if (typeof credential.id === "string" && credential.id !== bundle.certificateID) {
      fail("credential", `id is ${credential.id}, expected ${bundle.certificateID} (a replayed certificate?)`);
    }
    const related = relatedResources(credential);
    if (hasType(credential, rotationType)) {
      result.kind = "key rotation";
      const successor = at(credential, "credentialSubject.id");
      if (typeof successor !== "string" || K.didKeyPoint(successor) instanceof Error) fail("key rotation", `names ${successor}, which is not a P-256 did:key`);
      else result.successor = successor;
      await checkChain(bundle, related, previous, fail);
      return result;
    }
    await checkDigest(related, "application/ld+json", bundle.epcis, "EPCIS document", fail);
    if (hasType(credential, derivedType)) {
      result.kind = "derived copy";
      await checkEvents(bundle, credential, false, fail, hasher, result);
      return result;
    }
    if (hasType(credential, recordType)) {
      result.kind = "record";
      if (bundle.rawSeries.length > 0) fail("chain record", `carries ${bundle.rawSeries.length} bytes of raw series; a record holds no readings`);
      await checkEvents(bundle, credential, false, fail, hasher, result);
      await checkChain(bundle, related, previous, fail);
      return result;
    }
    await checkDigest(related, "text/csv", bundle.rawSeries, "raw series", fail);
    await checkEvents(bundle, credential, true, fail, hasher, result);
    await checkChain(bundle, related, previous, fail);
    return result;
  }

  async function checkDigest(related, mediaType, bytes, name, fail) {
    const entry = related.find((r) => r.mediaType === mediaType);
    if (!entry) { fail(`${name} digest`, `the credential names no ${mediaType} resource`); return; }
    const actual = await B.digestSRI(bytes);
    if (actual !== entry.digestSRI) fail(`${name} digest`, `${entry.id} has digest ${actual}, the certificate signed ${entry.digestSRI}`);
  }

  async function checkEvents(bundle, credential, withStatistics, fail, hasher, result) {
    let document;
    try { document = JSON.parse(B.text(bundle.epcis)); } catch { document = null; }
    const events = at(document, "epcisBody.eventList");
    if (!Array.isArray(events)) { fail("EPCIS document", "not an EPCIS JSON-LD document with epcisBody.eventList"); return; }
    const eventHash = new hasher(document["@context"]);
    const subjects = (Array.isArray(credential.credentialSubject) ? credential.credentialSubject : []).map((s) => s?.id).filter((id) => typeof id === "string");
    for (const [index, event] of events.entries()) {
      if (event === null || typeof event !== "object" || typeof event.eventID !== "string") { fail("event hash", `event ${index} has no eventID`); continue; }
      const { eventID: stated, ...members } = event;
      const recomputed = await eventHash.eventID(members);
      if (recomputed !== stated) fail("event hash", `event ${index}: eventID ${stated} but its content hashes to ${recomputed}`);
      if (!subjects.includes(stated)) fail("event hash", `event ${index} (${stated}) is not the credential's subject`);
    }
    if (withStatistics) checkStatistics(bundle, events, fail, result);
  }

  /** The document's min/max/mean must be what the raw series gives; alarms are collected for the plot. */
  function checkStatistics(bundle, events, fail, result) {
    const rows = parseRawSeries(bundle.rawSeries);
    if (rows instanceof Error) { fail("raw series", rows.message); return; }
    result.rows = rows;
    const groups = new Map();
    for (const row of rows) {
      const key = `${row.sensor}\u0000${row.quantity}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row);
    }
    const names = [...groups.keys()].sort((a, b) => B.compareBytes(B.utf8(a), B.utf8(b)));
    const expected = names.map((name) => statistics(groups.get(name).map((r) => r.value)));
    const stated = [];
    for (const event of events) {
      for (const element of Array.isArray(event?.sensorElementList) ? event.sensorElementList : []) {
        for (const report of Array.isArray(element?.sensorReport) ? element.sensorReport : []) {
          if (report?.exception !== undefined) {
            // An alarm follows the statistics report of its quantity.
            if (stated.length > 0 && typeof report.value === "number") result.alarms.push({ series: stated.length - 1, value: report.value });
            continue;
          }
          if ([report?.minValue, report?.maxValue, report?.meanValue].every((v) => typeof v === "number")) stated.push([report.minValue, report.maxValue, report.meanValue]);
        }
      }
    }
    result.alarms = result.alarms.filter((a) => a.series < names.length).map((a) => ({ name: names[a.series].replace("\u0000", "/"), value: a.value }));
    if (stated.length !== expected.length) {
      fail("raw series", `the EPCIS document reports ${stated.length} series, the raw series holds ${expected.length}`);
      return;
    }
    stated.forEach((values, i) => {
      const s = expected[i];
      if (values[0] === s.min && values[1] === s.max && values[2] === s.mean) return;
      const seqs = groups.get(names[i]).map((r) => r.seq);
      fail("raw series", `${names[i].replace("\u0000", "/")} (readings seq ${seqs[0]}…${seqs[seqs.length - 1]}): the document says min/max/mean ${values.join("/")}, the readings give ${s.min}/${s.max}/${s.mean}`);
    });
  }

  async function checkChain(bundle, related, previous, fail) {
    const link = related.find((r) => r.mediaType === "application/vc+jwt");
    if (!previous) {
      if (bundle.number !== 1) fail("chain", `starts at batch ${bundle.number}, not 1: earlier certificates are missing`);
      if (link) fail("chain", `names a previous certificate ${link.id} that was not supplied`);
      return;
    }
    if (bundle.number !== previous.number + 1) fail("chain", `follows batch ${previous.number}: batch ${previous.number + 1} is missing or the order is wrong`);
    if (!link) { fail("chain", `names no previous certificate, but follows batch ${previous.number}`); return; }
    const digest = await B.digestSRI(B.utf8(previous.jws.trim()));
    if (link.id !== previous.certificateID || link.digestSRI !== digest) {
      fail("chain", `names ${link.id} with digest ${link.digestSRI}, but batch ${previous.number} is ${previous.certificateID} with digest ${digest}`);
    }
  }

  /** Every bundle in order, with the issuer's continuity across rotations (verifyChain). */
  async function verifyChain(bundles, onProgress) {
    const results = [];
    let previous = null, issuer = null;
    for (const [index, bundle] of bundles.entries()) {
      const result = await verifyBundle(bundle, previous, SawahEventHash.Hasher);
      const name = result.signer?.name;
      if (name) {
        if (issuer && issuer !== name) result.failures.push({ batch: bundle.number, check: "issuer", detail: `signed by ${name}, but the chain's key at this point is ${issuer}` });
        issuer = issuer ?? name;
        if (issuer === name && result.successor) issuer = result.successor;
      }
      results.push({ bundle, ...result });
      previous = bundle;
      if (onProgress && index % 50 === 49) await onProgress(index + 1, bundles.length);
    }
    return results;
  }

  return { verifyChain, verifyBundle, parseRawSeries, statistics };
})();
