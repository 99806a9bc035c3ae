import SawahDaemonCommandLine

await SawahDaemonCommand.main()
