// Bytes, encodings and keys for the verifier page: canonical base64url, base58btc did:key,
// P-256 point decompression, the leaf of an x5c chain, JWK thumbprints, ES256 with WebCrypto.
// The same rules as SawahTraceability (Base64URL, DIDKey, ECDSALowS, CompactJWS), so a bundle
// the CLI refuses is refused here for the same reason.
"use strict";

const SawahBytes = (() => {
  const encoder = new TextEncoder();
  const strictUTF8 = new TextDecoder("utf-8", { fatal: true });
  const urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function utf8(text) { return encoder.encode(text); }

  /** Text of UTF-8 bytes, or null when they are not UTF-8. */
  function text(bytes) {
    try { return strictUTF8.decode(bytes); } catch { return null; }
  }

  function base64urlEncode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
      const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
      for (let c = 0; c < chars; c++) out += urlAlphabet[(n >> (18 - 6 * c)) & 63];
    }
    return out;
  }

  /** Canonical base64url only (no padding, no stray bits), as Base64URL.decode: null otherwise. */
  function base64urlDecode(input) {
    if (!/^[A-Za-z0-9_-]*$/.test(input) || input.length % 4 === 1) return null;
    const out = [];
    let buffer = 0, bits = 0;
    for (const ch of input) {
      buffer = (buffer << 6) | urlAlphabet.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push((buffer >> bits) & 0xff);
        buffer &= (1 << bits) - 1;
      }
    }
    if (buffer !== 0) return null;
    return Uint8Array.from(out);
  }

  function base64Encode(bytes) {
    const body = base64urlEncode(bytes).replace(/-/g, "+").replace(/_/g, "/");
    return body + "=".repeat((4 - (body.length % 4)) % 4);
  }

  function base64Decode(input) {
    const bare = input.replace(/=+$/, "");
    if (/[^A-Za-z0-9+/]/.test(bare)) return null;
    return base64urlDecode(bare.replace(/\+/g, "-").replace(/\//g, "_"));
  }

  function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""); }

  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }

  /** `sha256-<base64>`, the VC 2.0 digestSRI form. */
  async function digestSRI(bytes) { return "sha256-" + base64Encode(await sha256(bytes)); }

  function equal(a, b) { return a.length === b.length && a.every((v, i) => v === b[i]); }

  function compareBytes(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }

  return { utf8, text, base64urlEncode, base64urlDecode, base64Encode, base64Decode, hex, sha256, digestSRI, equal, compareBytes };
})();

const SawahKeys = (() => {
  const B = SawahBytes;
  const p = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
  const curveB = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
  const halfOrder = 0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n;
  const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  function toBig(bytes) { return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n); }
  function fromBig(n, length) {
    const out = new Uint8Array(length);
    for (let i = length - 1; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n; }
    return out;
  }
  function modpow(base, exponent, modulus) {
    let result = 1n;
    base %= modulus;
    while (exponent > 0n) {
      if (exponent & 1n) result = (result * base) % modulus;
      base = (base * base) % modulus;
      exponent >>= 1n;
    }
    return result;
  }

  function base58Decode(input) {
    let n = 0n;
    for (const ch of input) {
      const digit = base58.indexOf(ch);
      if (digit < 0) return null;
      n = n * 58n + BigInt(digit);
    }
    const bytes = [];
    while (n > 0n) { bytes.unshift(Number(n & 0xffn)); n >>= 8n; }
    for (const ch of input) { if (ch !== "1") break; bytes.unshift(0); }
    return Uint8Array.from(bytes);
  }

  /** The uncompressed point (04 || x || y) of a compressed P-256 point, or null off the curve. */
  function decompress(compressed) {
    if (compressed.length !== 33 || (compressed[0] !== 2 && compressed[0] !== 3)) return null;
    const x = toBig(compressed.slice(1));
    if (x >= p) return null;
    const y2 = (((x * x) % p) * x - 3n * x + curveB) % p;
    const rhs = (y2 + p) % p;
    let y = modpow(rhs, (p + 1n) / 4n, p);
    if ((y * y) % p !== rhs) return null;
    if ((y & 1n) !== BigInt(compressed[0] & 1)) y = p - y;
    const out = new Uint8Array(65);
    out[0] = 4;
    out.set(fromBig(x, 32), 1);
    out.set(fromBig(y, 32), 33);
    return out;
  }

  /** The raw public key a P-256 did:key names, or an Error saying why not (as DIDKey). */
  function didKeyPoint(did) {
    if (did.length > 200) return new Error(`a did:key of ${did.length} characters is not a P-256 key`);
    const bare = did.split("#")[0];
    const bytes = bare.startsWith("did:key:z") ? base58Decode(bare.slice(9)) : null;
    if (!bytes) return new Error(`${did} is not a base58btc did:key`);
    if (bytes.length !== 35 || bytes[0] !== 0x80 || bytes[1] !== 0x24) return new Error(`${did} does not name a P-256 key (multicodec p256-pub)`);
    return decompress(bytes.slice(2)) ?? new Error(`${did} holds a point that is not on P-256`);
  }

  async function importRaw(point) {
    return crypto.subtle.importKey("raw", point, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
  }

  /** RFC 7638 thumbprint of a P-256 key given as its uncompressed point. */
  async function thumbprint(point) {
    const x = B.base64urlEncode(point.slice(1, 33)), y = B.base64urlEncode(point.slice(33));
    return B.base64urlEncode(await B.sha256(B.utf8(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`)));
  }

  async function pointOf(key) { return new Uint8Array(await crypto.subtle.exportKey("raw", key)); }

  function isHighS(signature) { return toBig(signature.slice(32)) > halfOrder; }

  // A minimal DER walker: enough to find an X.509 leaf's subject and public key.
  function derNode(bytes, at) {
    if (at + 2 > bytes.length) throw new Error("truncated DER");
    let length = bytes[at + 1], header = 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count < 1 || count > 3) throw new Error("unsupported DER length");
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i];
      header += count;
    }
    const end = at + header + length;
    if (end > bytes.length) throw new Error("truncated DER");
    return { tag: bytes[at], at, start: at + header, end };
  }
  function derChildren(bytes, node) {
    const out = [];
    for (let at = node.start; at < node.end;) { const child = derNode(bytes, at); out.push(child); at = child.end; }
    return out;
  }
  const attributeNames = { "550403": "CN", "55040a": "O", "55040b": "OU", "550406": "C", "550407": "L", "550408": "ST" };

  /** Subject (as `CN=…, O=…`) and SubjectPublicKeyInfo bytes of a DER certificate. */
  function certificateLeaf(der) {
    const certificate = derNode(der, 0);
    const tbs = derChildren(der, derChildren(der, certificate)[0]);
    const fields = tbs[0].tag === 0xa0 ? tbs.slice(1) : tbs;
    const subject = fields[4], spki = fields[5];
    const names = [];
    for (const set of derChildren(der, subject)) {
      for (const pair of derChildren(der, set)) {
        const [oid, value] = derChildren(der, pair);
        const name = attributeNames[B.hex(der.slice(oid.start, oid.end))] ?? "OID " + B.hex(der.slice(oid.start, oid.end));
        names.push(`${name}=${B.text(der.slice(value.start, value.end)) ?? "?"}`);
      }
    }
    return { subject: names.join(", "), spki: der.slice(spki.at, spki.end) };
  }

  return { base58Decode, decompress, didKeyPoint, importRaw, thumbprint, pointOf, isHighS, certificateLeaf };
})();
