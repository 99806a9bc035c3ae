"""Random EPCIS events with the values the CBV 2.0 hash rules treat specially (numbers of
every form, numeric strings, timestamps with zones and fractions, EPC URNs, Digital Links on
other domains, CURIEs, vocabulary, extensions, Unicode), for a differential test of the
page's JavaScript event hash against the Swift one (`sawah certificates event-hash`)."""

import random

NUMBERS = [0, -0.0, 1, -1, 0.5, 1e-5, 1.5e-7, 123456789012345678, 1e21, 2.0 ** 53 + 2, 0.1 + 0.2, 100.0, 1e-4,
           9.999e-5, 3.14159, -2.5e-10, 1e16, 12.1, 26.0, 1.0e-4, 5e-324, 1.7976931348623157e308]
STRINGS = ["  padded  ", "5.0", " 12 ", "1e3", "+5", ".5", "1.", "1.5e", "0x10", "nan", "abc", "", " ",
           "urn:epc:id:sgtin:4012345.011111.987", "urn:epc:id:sscc:4012345.0000000001",
           "urn:epc:id:sgln:4012345.00001.0", "urn:epc:id:sgln:4012345.00001.x(1)", "urn:epc:id:grai:4012345.00001.1*2",
           "urn:epc:id:giai:4012345.A:b", "urn:epc:id:sgtin:4012345.11111.1", "urn:epc:id:unknown:1.2",
           "https://example.com/path/01/04012345111118/10/LOT1/21/SER?x=1#f", "https://id.gs1.org/414/4012345000054/254/3",
           "http://example.org/01/04012345111118", "https://example.com/nothing/here", "https://example.com",
           "gs1:Temperature", "cbv:BizStep-receiving", "ex:thing", "ex://not-a-curie",
           "urn:epcglobal:cbv:bizstep:receiving", "urn:epcglobal:cbv:disp:in_progress", "urn:epcglobal:cbv:btt:po",
           "\u00e9", "e\u0301", "\u65e5\u672c", "\U0001F600", "\uff21", "a:b:c", ":x", "x:", "\ufeffbom", "tab\there", "\u0085nel\u0085"]
TIMES = ["2020-01-01T00:00:00Z", "2020-01-01T07:00:00.123456+07:00", "2020-01-01t00:00:00.0005z",
         "2020-01-01T00:00:00.1234567-03:30", "not a time", "2020-01-01T00:00:60Z", "1969-12-31T23:59:59.9995Z",
         "0099-03-01T12:00:00.0015+00:00", "2026-12-03T01:02:03.004+05:45", "2020-13-01T00:00:00Z", "2020-01-01T00:00:00"]
VOCABULARY = ["receiving", "shipping", "sensor_reporting", "in_progress", "https://ref.gs1.org/cbv/BizStep-commissioning",
              "urn:epcglobal:cbv:bizstep:receiving", "cbv:Disp-active", "custom:step", "Temperature", "ALARM_CONDITION"]


def scalar(rng):
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(NUMBERS)
    if kind < 0.8:
        return rng.choice(STRINGS)
    if kind < 0.9:
        return rng.choice([True, False])
    return rng.choice(TIMES)


def extension(rng, depth=0):
    key = rng.choice(["ex:note", "ex:grade", "ex2:ref", "plainKey", "gs1:extra", "ex:nested", "@type"])
    if depth < 2 and rng.random() < 0.3:
        return key, {k: v for k, v in (extension(rng, depth + 1) for _ in range(rng.randint(1, 3)))}
    if rng.random() < 0.2:
        return key, [scalar(rng) for _ in range(rng.randint(1, 3))]
    return key, scalar(rng)


def report(rng):
    fields = {"type": rng.choice(VOCABULARY + ["gs1:Humidity", "RelativeHumidity"])}
    for key in ["value", "minValue", "maxValue", "meanValue", "sDev", "uom", "exception", "time", "deviceID",
                "stringValue", "booleanValue", "component", "percRank", "rawData", "coordinateReferenceSystem"]:
        if rng.random() < 0.35:
            fields[key] = rng.choice(TIMES) if key == "time" else scalar(rng)
    if rng.random() < 0.3:
        k, v = extension(rng)
        fields[k] = v
    return fields


def event(rng):
    e = {"type": rng.choice(["ObjectEvent", "AggregationEvent", "TransformationEvent"]), "eventTime": rng.choice(TIMES),
         "eventTimeZoneOffset": rng.choice(["+07:00", "-03:30", "+00:00"]), "recordTime": rng.choice(TIMES)}
    if rng.random() < 0.7:
        e["epcList"] = [rng.choice(STRINGS) for _ in range(rng.randint(0, 3))]
    for key in ["action", "bizStep", "disposition"]:
        if rng.random() < 0.7:
            e[key] = rng.choice(VOCABULARY + ["OBSERVE", "ADD"])
    if rng.random() < 0.6:
        e["readPoint"] = {"id": rng.choice(STRINGS)}
        if rng.random() < 0.4:
            k, v = extension(rng)
            e["readPoint"][k] = v
    if rng.random() < 0.4:
        e["bizLocation"] = {"id": rng.choice(STRINGS)}
    if rng.random() < 0.4:
        e["bizTransactionList"] = [{"type": rng.choice(["po", "urn:epcglobal:cbv:btt:desadv", "inv"]), "bizTransaction": rng.choice(STRINGS)}
                                   for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.3:
        e["sourceList"] = [{"type": "owning_party", "source": rng.choice(STRINGS)}]
    if rng.random() < 0.3:
        e["quantityList"] = [{"epcClass": rng.choice(STRINGS), "quantity": rng.choice(NUMBERS), "uom": "KGM"}]
    if rng.random() < 0.3:
        e["persistentDisposition"] = {"set": [rng.choice(VOCABULARY)], "unset": [rng.choice(VOCABULARY)]}
    if rng.random() < 0.7:
        e["sensorElementList"] = [{
            "sensorMetadata": {k: (rng.choice(TIMES) if "ime" in k else scalar(rng)) for k in rng.sample(["time", "startTime", "endTime", "deviceID", "rawData", "bizRules"], 3)},
            "sensorReport": [report(rng) for _ in range(rng.randint(1, 3))],
        } for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.3:
        e["ilmd"] = dict(extension(rng) for _ in range(2))
    for _ in range(rng.randint(0, 3)):
        k, v = extension(rng)
        e[k] = v
    if rng.random() < 0.2:
        e["certificationInfo"] = rng.choice(STRINGS)
    return e


def documents(seed, count, per_document=25):
    """`count` EPCIS documents of random events, each with a context defining ex, ex2 and gs1."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                   {"ex": "https://example.com/ext/", "ex2": "urn:ex2:", "unused": 3}]
        out.append({"@context": context, "type": "EPCISDocument", "schemaVersion": "2.0",
                    "epcisBody": {"eventList": [event(rng) for _ in range(per_document)]}})
    return out
