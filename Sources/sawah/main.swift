import SawahCommandLine

await SawahCommand.main()
