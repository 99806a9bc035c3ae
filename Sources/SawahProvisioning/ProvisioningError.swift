/// What provisioning can run into, each naming the file or node concerned.
public enum ProvisioningError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadable(String)
    case unwritable(String, String)
    case exists(String)
    case malformed(file: String, line: Int, problem: String)
    case unknownNode(String)
    case nodeExists(String, secretFile: String)
    case invalidNode(String)
    case other(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .exists(let path): "\(path) exists already; it is not overwritten"
        case .malformed(let file, let line, let problem): "\(file):\(line): \(problem)"
        case .unknownNode(let node): "no [[sensors]] entry has node = \"\(node)\": add the node's sensors to the config first, so its topics are known"
        case .nodeExists(let node, let secret): "node \(node) has credentials already (\(secret)); use --rotate to replace them"
        case .invalidNode(let node): "node id \"\(node)\" must be letters, digits, '-' or '_' (it becomes the MQTT user name)"
        case .other(let text): text
        }
    }
}
