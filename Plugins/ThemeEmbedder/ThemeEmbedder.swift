import PackagePlugin
import Foundation

/// Builds the themes into the binary: runs `ThemeEmbedderTool` over the package's `themes/*.toml`
/// (the single source of the themes) and adds the Swift file it writes to the target, so an
/// installed `dhtop` anywhere has every built-in theme without files beside it.
@main
struct ThemeEmbedder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let themes = context.package.directoryURL.appending(path: "themes")
        let names = try FileManager.default.contentsOfDirectory(atPath: themes.path())
            .filter { $0.hasSuffix(".toml") }
            .sorted()
        let inputs = names.map { themes.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedThemeFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) themes from themes/",
                executable: try context.tool(named: "ThemeEmbedderTool").url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
