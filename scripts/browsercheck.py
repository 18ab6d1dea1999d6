"""Shared by the headless-Chromium checks: their arguments and a free loopback port."""
import os, socket, sys

def arguments():
    """(site folder, database, sftatlas binary) from argv: SITE_FOLDER DATABASE [path/to/sftatlas]."""
    return os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ".build/release/sftatlas"

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
