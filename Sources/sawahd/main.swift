import SawahCommandSupport
import SawahDaemonCommandLine

await SawahDaemonCommand.start()
