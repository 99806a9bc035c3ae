"""The real parts the browser tests look at: a mosquitto broker on a loopback port, sawahd
sealing what it ingests, the reference platform (which serves /verify) and `sawah web` with a
token. Each is started here, on free ports, in a temporary folder, and stopped at the end."""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Stack:
    """Broker, sawahd, sawah-platform and sawah web for one test run."""

    def __init__(self, bin_dir, seal_max_readings=10):
        self.bin = Path(bin_dir)
        self.dir = Path(tempfile.mkdtemp(prefix="sawah-browser-"))
        self.processes = []
        self.broker_port, self.platform_port, self.web_port = free_port(), free_port(), free_port()
        self.token = os.urandom(24).hex()
        (self.dir / "web.token").write_text(self.token + "\n")
        os.chmod(self.dir / "web.token", 0o600)
        (self.dir / "mosquitto.conf").write_text(
            f"listener {self.broker_port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\n"
            + ("user root\n" if os.getuid() == 0 else ""))
        config = (ROOT / "config" / "sawah.toml").read_text()
        config = re.sub(r'(?m)^data_dir = .*$', f'data_dir = "{self.dir}/data"', config)
        config = re.sub(r'(?m)^devices_dir = .*$', f'devices_dir = "{ROOT}/devices"', config)
        config = re.sub(r'(?m)^port = 1883', f'port = {self.broker_port}', config)
        config = re.sub(r'(?m)^seal_interval_seconds = 3600', 'seal_interval_seconds = 2', config)
        config = re.sub(r'(?m)^seal_max_readings = 5000', f'seal_max_readings = {seal_max_readings}', config)
        config = re.sub(r'(?m)^clock = "ntp".*$', 'clock = "trusted"', config)
        config = re.sub(r'(?m)^port = 8464.*$', f'port = {self.web_port}\ntoken_file = "{self.dir}/web.token"\nrefresh_seconds = 1', config)
        self.config = self.dir / "sawah.toml"
        self.config.write_text(config)
        self.journal = self.dir / "data" / "journal.sqlite"

    def start(self, name, arguments, log):
        process = subprocess.Popen(arguments, stdout=open(self.dir / log, "w"), stderr=subprocess.STDOUT)
        self.processes.append((name, process))
        return process

    def sawah(self, *arguments, check=True):
        result = subprocess.run([str(self.bin / "sawah"), *arguments], capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"sawah {' '.join(arguments)} exited {result.returncode}: {result.stdout}{result.stderr}")
        return result

    def up(self):
        self.start("mosquitto", ["mosquitto", "-c", str(self.dir / "mosquitto.conf")], "mosquitto.log")
        self.start("platform", [str(self.bin / "sawah-platform"), "--port", str(self.platform_port), "--database", str(self.dir / "platform.sqlite")], "platform.log")
        self.sawah("identity", "create", "--config", str(self.config))
        self.start("sawahd", [str(self.bin / "sawahd"), "--config", str(self.config)], "sawahd.log")
        wait_for(self.journal.exists, 20, "the journal")
        self.start("web", [str(self.bin / "sawah"), "web", "--config", str(self.config)], "web.log")
        for port in (self.broker_port, self.platform_port, self.web_port):
            wait_for(lambda: self.listening(port), 20, f"a server on port {port}")

    @staticmethod
    def listening(port):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    def publish(self, topic, payloads):
        """Publishes each payload (QoS 1) to `topic`, one message per line."""
        subprocess.run(["mosquitto_pub", "-p", str(self.broker_port), "-q", "1", "-t", topic, "-l"],
                       input="\n".join(payloads) + "\n", text=True, check=True, timeout=300)

    def simulate(self, rounds):
        subprocess.run([str(self.bin / "sawah"), "simulate", "--port", str(self.broker_port), "--interval", "0.05",
                        "--rounds", str(rounds), "--minutes-per-round", "10"], capture_output=True, check=True, timeout=300)

    def query(self, sql):
        with sqlite3.connect(f"file:{self.journal}?mode=ro", uri=True) as db:
            return db.execute(sql).fetchall()

    def readings(self):
        return self.query("SELECT COUNT(*) FROM readings")[0][0]

    def unsealed(self):
        return self.query("SELECT COUNT(*) FROM readings WHERE seq > (SELECT COALESCE(MAX(sealed_through), 0) FROM seal_cursors)")[0][0]

    def wait_sealed(self, timeout=120):
        """Until every stored reading is in a batch (sawahd seals on count or age)."""
        wait_for(lambda: self.readings() > 0 and self.unsealed() == 0, timeout, "every reading to be sealed")

    def did(self):
        shown = self.sawah("identity", "show", "--config", str(self.config)).stdout
        return next(line.split()[-1] for line in shown.splitlines() if line.startswith("did:"))

    def export(self, folder):
        self.sawah("certificates", "export", "--config", str(self.config), "--from", "1", "-o", str(folder))
        return Path(folder)

    def down(self):
        for name, process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("SAWAH_KEEP_BROWSER_DIR") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)
