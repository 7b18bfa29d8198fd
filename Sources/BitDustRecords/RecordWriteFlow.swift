import DHTCore
import DHTWire

/// How `set --record TYPE PARTS… FIELD=VALUE…` is run, shared by the CLI and the console:
/// 1. `init` checks the key, the assignments and the type's rules locally (a `BuildError` names
///    the failed rule; nothing is sent);
/// 2. `readOperation` (a collect-all findValue) reads what the network holds;
/// 3. `afterRead` builds the value with the next revision and re-checks it against the held value
///    the way a reference node would (`.refused` locally, or `.store(operation)` to run);
/// 4. `outcome(of:)` turns the store's result into per-node lines naming each remote refusal.
/// A value type; pure; thread-safe; never reads the clock (`now` is passed in).
public struct RecordWriteFlow: Hashable, Sendable {
    public let type: RecordType
    public let parts: [String]
    public let assignments: [String]
    public let layer: Int
    public let expireSeconds: Int64
    public let now: Int64
    public let nickname: NicknameQuirk.Mode
    /// The key, and the value a write with nothing on the network would store.
    public let draft: RecordBuilder.Built

    /// What to do after the read.
    public enum Step: Hashable, Sendable {
        /// Store this value with this operation.
        case store(RecordBuilder.Built, Operation, networkRevision: Int64?)
        /// Refused locally (the value the network holds makes the write invalid); nothing sent.
        case refused(RecordBuilder.BuildError, networkRevision: Int64?)
    }

    /// Checks everything that needs no network. Throws `.key` for bad parts (a usage error),
    /// `.badAssignment`, `.notWritable` or `.rules` (the failed rule).
    public init(
        type: RecordType, parts: [String], assignments: [String], layer: Int,
        expireSeconds: Int64 = 43_200, now: Int64, nickname: NicknameQuirk.Mode = .intended
    ) throws(RecordBuilder.BuildError) {
        self.type = type
        self.parts = parts
        self.assignments = assignments
        self.layer = layer
        self.expireSeconds = expireSeconds
        self.now = now
        self.nickname = nickname
        draft = try RecordBuilder.build(type: type, parts: parts, assignments: assignments, now: now, nickname: nickname)
    }

    public var key: RecordKey { draft.key }

    /// Reads every copy the network holds (the next revision is taken from it).
    public var readOperation: Operation { .findValue(key: draft.key.hash, layer: layer, collectAll: true) }

    /// The store of `draft` without reading first (`--no-read`): remote nodes holding a newer or
    /// differently typed value refuse it with their own text.
    public var blindStore: Step {
        .store(
            draft, .store(key: draft.key.hash, value: .string(draft.value), expireSeconds: expireSeconds, layer: layer),
            networkRevision: nil)
    }

    /// Builds the value from what the read found (`nil` or a not-found result: nothing held).
    /// A failed read is treated as "nothing found" only when it is `.notFound`; otherwise it is thrown.
    public func afterRead(_ result: OperationResult?) throws(OperationFailure) -> Step {
        let values: [FoundValue]
        switch result {
        case .value(let v)?: values = v.values
        case .failed(let f)? where f.code == .notFound: values = []
        case .failed(let f)?: throw f
        case nil: throw OperationFailure(.timeout, "timed out while reading the current value")
        case let other?: throw OperationFailure(.invalidArgument, "unexpected result \(other)")
        }
        return afterRead(values: values.map { RecordReadReport.text(of: $0.value) })
    }

    /// Builds the value from the copies the network holds (as text).
    public func afterRead(values: [String]) -> Step {
        let comparison = ReplicaComparison(values.enumerated().map { .init(responder: "\($0.offset)", value: $0.element) })
        let networkRevision = values.compactMap(RecordUpdateCheck.revision(of:)).max()
        do {
            let built = try RecordBuilder.build(
                type: type, parts: parts, assignments: assignments, now: now,
                networkRevision: networkRevision, existingValue: comparison.winner?.value,
                nickname: nickname)
            let op = Operation.store(key: built.key.hash, value: .string(built.value), expireSeconds: expireSeconds, layer: layer)
            return .store(built, op, networkRevision: networkRevision)
        } catch {
            return .refused(error, networkRevision: networkRevision)
        }
    }

    /// The outcome of the store (nil: timed out).
    public func outcome(of result: OperationResult?, built: RecordBuilder.Built, networkRevision: Int64?) -> RecordWriteOutcome {
        switch result {
        case .stored(let s)?: return RecordWriteOutcome(built: built, networkRevision: networkRevision, summary: s)
        case .failed(let f)?: return RecordWriteOutcome(built: built, networkRevision: networkRevision, failure: f.message)
        case nil: return RecordWriteOutcome(built: built, networkRevision: networkRevision, failure: "timed out while storing")
        case let other?: return RecordWriteOutcome(built: built, networkRevision: networkRevision, failure: "unexpected result \(other)")
        }
    }

    /// Splits command-line words after the type into key parts and `FIELD=VALUE` assignments: the
    /// assignments start at the first word shaped `name=…` (a letter or `_`, then letters, digits
    /// or `_`, then `=`); everything before it is a key part.
    public static func split(_ words: [String]) -> (parts: [String], assignments: [String]) {
        guard let i = words.firstIndex(where: isAssignment) else { return (words, []) }
        return (Array(words[..<i]), Array(words[i...]))
    }

    static func isAssignment(_ word: String) -> Bool {
        guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return false }
        let name = word[..<eq].unicodeScalars
        guard let first = name.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
