import ArgumentParser

extension AsyncParsableCommand {
    /// Parses the process's arguments and runs the command, as ArgumentParser's async `main()`.
    ///
    /// The programs' `main.swift` files call this instead of `await Command.main()`: from
    /// top-level code the compiler picks the synchronous `ParsableCommand.main()`, which refuses
    /// to run an async root command ("needs availability annotation") and exits 1.
    public static func start() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
