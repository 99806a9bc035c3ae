import SawahCommandSupport
import SawahUplinkCommandLine

await SawahUplinkCommand.start()
