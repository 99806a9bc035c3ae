import SawahCommandLine
import SawahCommandSupport
import SawahPlatformCommandLine
import SawahUplinkCommandLine

// The packaged binary for everything but the ingest daemon: one executable that is sawah,
// sawah-uplink and sawah-platform, chosen by the name it was started under (the package
// installs /usr/bin/sawah and links the other two names to it). A static Swift program is
// mostly its runtime, Foundation and ICU data, so one binary instead of three is most of the
// package's saving. sawahd stays its own executable: inside this one it carried the HTTP and
// TLS stack's type metadata, whose relocations alone raised its resident memory from 30.1 to
// 37.5 MB (scripts/bench ingest, same run).
let invokedAs = CommandLine.arguments.first.flatMap { $0.split(separator: "/").last }.map(String.init) ?? "sawah"
switch invokedAs {
case "sawah-uplink": await SawahUplinkCommand.start()
case "sawah-platform": await SawahPlatformCommand.start()
default: await SawahCommand.start()
}
