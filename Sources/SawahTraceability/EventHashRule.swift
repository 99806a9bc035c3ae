/// How one field of an EPCIS event enters the pre-hash string (CBV 2.0 event hash, "canonical
/// property order"). The table mirrors the reference implementation's property order.
indirect enum EventHashRule: Sendable {
    /// `key=value`; an array repeats the key. `vocabulary` is the URI prefix a bare standard
    /// value (`receiving`, `Temperature`) expands to.
    case value(vocabulary: String? = nil)
    /// `key` then each item rendered under `item`, sorted.
    case list(item: String, EventHashRule)
    /// `key` then the fields in this order, then (if `extensible`) user extensions, sorted.
    case object([(String, EventHashRule)], extensible: Bool)
    /// Items of a list whose value key is followed by its `type` (bizTransaction, source,
    /// destination); kept in document order, as the reference does.
    case typedList(item: String, typeVocabulary: String)

    static let cbv = "https://ref.gs1.org/cbv/"
    static let gs1Vocabulary = "https://gs1.org/voc/"

    static let quantityElement = EventHashRule.list(
        item: "quantityElement",
        .object(
            [
                ("epcClass", .value()), ("quantity", .value()), ("uom", .value())
            ], extensible: false))

    static let sensorMetadata = EventHashRule.object(
        [
            ("time", .value()), ("startTime", .value()), ("endTime", .value()), ("deviceID", .value()),
            ("deviceMetadata", .value()), ("rawData", .value()), ("dataProcessingMethod", .value()), ("bizRules", .value())
        ], extensible: true)

    static let sensorReport = EventHashRule.object(
        [
            ("type", .value(vocabulary: gs1Vocabulary)), ("exception", .value(vocabulary: gs1Vocabulary)),
            ("deviceID", .value()), ("deviceMetadata", .value()), ("rawData", .value()), ("dataProcessingMethod", .value()),
            ("time", .value()), ("microorganism", .value()), ("chemicalSubstance", .value()), ("value", .value()),
            ("component", .value(vocabulary: cbv + "Comp-")), ("stringValue", .value()), ("booleanValue", .value()),
            ("hexBinaryValue", .value()), ("uriValue", .value()), ("minValue", .value()), ("maxValue", .value()),
            ("meanValue", .value()), ("sDev", .value()), ("percRank", .value()), ("percValue", .value()),
            ("uom", .value()), ("coordinateReferenceSystem", .value())
        ], extensible: true)

    /// The event's fields after `eventType`, in hash order.
    static let eventOrder: [(String, EventHashRule)] = [
        ("eventTime", .value()),
        ("eventTimeZoneOffset", .value()),
        ("certificationInfo", .value()),
        ("parentID", .value()),
        ("epcList", .list(item: "epc", .value())),
        ("inputEPCList", .list(item: "epc", .value())),
        ("childEPCs", .list(item: "epc", .value())),
        ("quantityList", quantityElement),
        ("childQuantityList", quantityElement),
        ("inputQuantityList", quantityElement),
        ("outputEPCList", .list(item: "epc", .value())),
        ("outputQuantityList", quantityElement),
        ("action", .value()),
        ("transformationID", .value()),
        ("bizStep", .value(vocabulary: cbv + "BizStep-")),
        ("disposition", .value(vocabulary: cbv + "Disp-")),
        (
            "persistentDisposition",
            .object(
                [
                    ("set", .value(vocabulary: cbv + "Disp-")), ("unset", .value(vocabulary: cbv + "Disp-"))
                ], extensible: false)
        ),
        ("readPoint", .object([("id", .value())], extensible: true)),
        ("bizLocation", .object([("id", .value())], extensible: true)),
        ("bizTransactionList", .typedList(item: "bizTransaction", typeVocabulary: cbv + "BTT-")),
        ("sourceList", .typedList(item: "source", typeVocabulary: cbv + "SDT-")),
        ("destinationList", .typedList(item: "destination", typeVocabulary: cbv + "SDT-")),
        (
            "sensorElementList",
            .list(
                item: "sensorElement",
                .object(
                    [
                        ("sensorMetadata", sensorMetadata), ("sensorReport", sensorReport)
                    ], extensible: true))
        ),
        ("ilmd", .object([], extensible: true))
    ]

    /// Fields that never enter the hash.
    static let ignoredEventFields: Set<String> = ["type", "eventID", "recordTime", "errorDeclaration", "@context"]
}
