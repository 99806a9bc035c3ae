import SawahCommandLine
import SawahCommandSupport
import SawahDaemonCommandLine
import SawahPlatformCommandLine
import SawahUplinkCommandLine

// The packaged binary: one executable that is sawah, sawahd, sawah-uplink and sawah-platform,
// chosen by the name it was started under (the package installs /usr/bin/sawah and links the
// other three names to it). Each of those is a static Swift program whose runtime, Foundation
// and ICU data are most of its size, so one binary instead of four is most of the package's
// saving. The separate products stay for development and the tests.
let invokedAs = CommandLine.arguments.first.flatMap { $0.split(separator: "/").last }.map(String.init) ?? "sawah"
switch invokedAs {
case "sawahd": await SawahDaemonCommand.start()
case "sawah-uplink": await SawahUplinkCommand.start()
case "sawah-platform": await SawahPlatformCommand.start()
default: await SawahCommand.start()
}
