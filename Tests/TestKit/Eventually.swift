import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Polls `condition` every `interval` seconds until it holds or `timeout` seconds pass (checked
/// once more at the end); returns whether it held. Blocks the calling thread; reads the wall clock.
public func eventually(timeout: Double = 10, every interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(UInt32(max(0.001, interval) * 1_000_000))
    }
    return try condition()
}

/// `eventually` for async code: sleeps the task (not the thread) between polls, so it may wake
/// late when the cooperative pool is busy; code whose condition holds only for a short window
/// should poll with the blocking `eventually` instead. A separate name because Swift would
/// pick an async overload in every async context.
public func eventuallyAsync(timeout: Double = 10, every interval: Double = 0.05, _ condition: () throws -> Bool) async rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(Int(max(0.001, interval) * 1000)))
    }
    return try condition()
}
