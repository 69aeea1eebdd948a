import os
from pathlib import Path

UPLOADS = "/srv/uploads"


def read_upload(name):
    with open(os.path.join(UPLOADS, name), "rb") as fh:
        return fh.read()


def read_upload_checked(name):
    base = Path(UPLOADS).resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base):
        raise PermissionError(name)
    return target.read_bytes()
