/// ECDSA signatures are malleable: if (r, s) verifies, so does (r, n − s). A verifier that takes
/// both lets anyone turn a farm's certificate into a second, different string that still
/// verifies — and whose chain-link hash differs. Sawah signs and accepts only the low-S form
/// (s ≤ n/2, as Bitcoin's BIP 62 and libsecp256k1 do). BoringSSL does not normalise s, so
/// signing normalises it here.
enum ECDSALowS {
    /// n of P-256 (SEC 2, secp256r1), big-endian.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51
    ]
    /// ⌊n / 2⌋, big-endian.
    static let halfOrder: [UInt8] = [
        0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8
    ]

    /// Whether the 32-byte big-endian `s` is in the upper half of the group order.
    static func isHigh(_ s: ArraySlice<UInt8>) -> Bool {
        precondition(s.count == 32, "P-256 scalars are 32 bytes")
        return s.lexicographicallyPrecedes(halfOrder) == false && !s.elementsEqual(halfOrder)
    }

    /// `r || s` with s replaced by n − s when it is high; unchanged otherwise.
    static func normalise(_ raw: [UInt8]) -> [UInt8] {
        precondition(raw.count == 64, "an ES256 signature is 64 bytes")
        guard isHigh(raw[32...]) else { return raw }
        var result = Array(raw[..<32])
        var difference = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var digit = Int(order[index]) - Int(raw[32 + index]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            difference[index] = UInt8(digit)
        }
        result.append(contentsOf: difference)
        return result
    }
}
