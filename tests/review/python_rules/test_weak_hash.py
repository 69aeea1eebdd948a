# ruff: noqa: E501  (code samples read best on one line)
"""weak-hash: MD5/SHA-1 protecting tokens and signatures; not checksums, ETags, cache keys."""

from __future__ import annotations

import pytest

from mcp_backend.review.rules.weak_hash.python import DETECTOR
from tests.review.python_rules._support import lines, run


@pytest.mark.parametrize(
    "code",
    [
        "import hashlib\nreset_token = hashlib.md5(email.encode()).hexdigest()\n",
        "import hashlib\nsignature = hashlib.sha1(SECRET + body).hexdigest()\n",
        "import hashlib\nsig = hashlib.new('md5', payload).hexdigest()\n",
        "import hashlib, hmac\nok = hmac.compare_digest(hashlib.sha1(body).hexdigest(), given)\n",
        "import hashlib\ndef make(api_key):\n    return hashlib.md5(api_key.encode()).hexdigest()\n",
    ],
)
def test_security_uses_are_findings(code: str) -> None:
    assert lines(run(DETECTOR, code))


@pytest.mark.parametrize(
    "code",
    [
        "import hashlib\netag = hashlib.md5(data).hexdigest()\n",
        "import hashlib\ncache_key = hashlib.md5(url.encode()).hexdigest()\n",
        "import hashlib\nchecksum = hashlib.sha1(blob).hexdigest()\n",
        "import hashlib\ntoken = hashlib.md5(x, usedforsecurity=False).hexdigest()\n",
        "import hashlib\ndigest = hashlib.sha256(token.encode()).hexdigest()\n",
        "import hashlib\nh = hashlib.md5(password.encode()).hexdigest()\n",  # weak-password-hash's
        "import hashlib\nname = hashlib.md5(path.encode()).hexdigest()\n",
        "import hashlib, hmac\nmac = hmac.new(key, msg, hashlib.sha1).hexdigest()\n",
    ],
)
def test_integrity_against_accidents_is_not(code: str) -> None:
    assert run(DETECTOR, code) == []


def test_test_files_are_skipped() -> None:
    code = "import hashlib\ntoken = hashlib.md5(b'x').hexdigest()\n"
    assert run(DETECTOR, code, "tests/test_a.py", is_test=True) == []
