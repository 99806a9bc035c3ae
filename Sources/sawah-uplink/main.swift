import SawahUplinkCommandLine

await SawahUplinkCommand.main()
