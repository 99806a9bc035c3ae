import SawahPlatformCommandLine

await SawahPlatformCommand.main()
