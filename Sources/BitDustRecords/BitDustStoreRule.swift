import DHTCore
import DHTWire

/// The store check of a validating BitDust node (spec §13.2) with the exact refusal texts the
/// reference nodes send, for `DHTEngine.storeRule`. Pure; thread-safe.
public enum BitDustStoreRule {
    public static let rule: StoreRule = { new, existing in
        guard let text = new.string else {
            return StoreValidator.check(new: new, existing: existing)?.message
        }
        return RecordUpdateCheck.refusal(new: text, existing: existing?.string)
    }
}
