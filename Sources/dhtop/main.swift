// Entry point: parse the command line and run the chosen subcommand. Everything else lives in
// DHTop.swift (exit codes) and Commands/ (one file per subcommand).
await DHTop.runAndExit()
