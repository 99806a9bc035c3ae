import SawahCommandLine
import SawahCommandSupport

await SawahCommand.start()
