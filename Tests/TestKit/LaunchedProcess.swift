import Foundation

/// Where a child's stdout and stderr go: pipes read on threads of their own, or files (both
/// streams may name the same file: one log). Internal to TestKit.
enum OutputDestination {
    case pipes
    case files(stdout: String, stderr: String)
}

/// Starts a child the way every TestKit runner does: this process's environment overridden by
/// `environment`, working directory `directory`, stdin from /dev/null, output to `output`
/// (files are created empty, or emptied), no signal blocked (ProcessSignals). Returns the
/// running process and its captured streams. Reads no clock.
func launch(
    _ path: String, _ arguments: [String], environment: [String: String], directory: String?,
    output: OutputDestination
) throws -> (process: Process, stdout: CapturedOutput, stderr: CapturedOutput) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.standardInput = FileHandle.nullDevice
    let out: CapturedOutput, err: CapturedOutput
    switch output {
    case .pipes:
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        out = CapturedOutput()
        err = CapturedOutput()
        out.read(from: outPipe.fileHandleForReading)
        err.read(from: errPipe.fileHandleForReading)
    case .files(let outFile, let errFile):
        for file in Set([outFile, errFile]) { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
        process.standardOutput = outHandle
        process.standardError = errFile == outFile ? outHandle : try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        out = CapturedOutput(file: outFile)
        err = errFile == outFile ? out : CapturedOutput(file: errFile)
    }
    try process.runWithSignalsUnblocked()
    return (process, out, err)
}
