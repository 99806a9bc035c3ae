import SawahCore
import SawahTraceability

/// Validates a JSON document against a JSON Schema with Python's `jsonschema` (installed by
/// scripts/install-deps): the reference validator, not one of our own.
public enum JSONSchemaCheck {
    /// Nil when `document` validates against the schema file at `schema`; else the first
    /// problems, each with its JSON path.
    public static func problem(_ document: JSONValue, schema: String) throws -> String? {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(JSONText.serialize(document), to: "doc.json")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            document = json.load(open(sys.argv[2]))
            cls = jsonschema.validators.validator_for(schema)
            errors = sorted(cls(schema).iter_errors(document), key=lambda e: list(e.path))
            for e in errors[:5]:
                print("/".join(str(p) for p in e.path), ":", e.message[:300])
            sys.exit(1 if errors else 0)
            """
        try directory.write(script, to: "validate.py")
        let result = try ChildProcess.run("/usr/bin/env", ["python3", directory.file("validate.py"), schema, directory.file("doc.json")])
        return result.status == 0 ? nil : result.output
    }
}
