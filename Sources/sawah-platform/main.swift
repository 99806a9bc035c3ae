import SawahCommandSupport
import SawahPlatformCommandLine

await SawahPlatformCommand.start()
