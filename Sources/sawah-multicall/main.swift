import SawahCommandLine
import SawahCommandSupport
import SawahDaemonCommandLine
import SawahPlatformCommandLine
import SawahUplinkCommandLine

// The packaged binary: one executable that is sawahd, sawah, sawah-uplink and sawah-platform,
// chosen by the name it was started under (the package installs /usr/bin/sawah and links the
// other three names to it). A static Swift program is mostly its runtime, Foundation and ICU
// data (34 MB of ICU alone, 8 MB of it after xz), so one binary instead of two or four is most
// of the package's size. The cost is resident memory: sawahd maps a larger image, and its
// peak RSS is 6.8 MB higher — clean, file-backed text that the kernel shares and can drop; the
// memory the daemon itself holds (private dirty) grows by 0.3 MB. README "Performance".
let invokedAs = CommandLine.arguments.first.flatMap { $0.split(separator: "/").last }.map(String.init) ?? "sawah"
switch invokedAs {
case "sawahd": await SawahDaemonCommand.start()
case "sawah-uplink": await SawahUplinkCommand.start()
case "sawah-platform": await SawahPlatformCommand.start()
default: await SawahCommand.start()
}
