import subprocess

import requests


def lookup(host):
    out = subprocess.check_output(f"nslookup {host}", shell=True, text=True)
    return out.splitlines()


def ping(host):
    return subprocess.run(["ping", "-c", "1", host], capture_output=True).returncode


def fetch_preview(url):
    resp = requests.get(url, timeout=5)
    return resp.text[:500]


def fetch_avatar(username):
    resp = requests.get(f"https://avatars.example.com/u/{username}.png", timeout=5)
    return resp.content
