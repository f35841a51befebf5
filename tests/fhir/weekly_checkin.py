"""Runs `hipcoach checkin --weekly ...` as a person with no danger signs would answer it.

Each prompt is answered as it appears: "None of these" in a list of danger signs (else the first
choice), "n" to yes/no questions, PAIN to the 0-10 pain questions, "2" (better) to the weekly
change, and Enter to everything that may be skipped. Reading the prompts keeps this independent of
the knowledge base's question order. Exits with the command's exit code.
Usage: weekly_checkin.py PAIN HIPCOACH checkin --weekly --db DB
"""
import os
import re
import select
import subprocess
import sys

pain = sys.argv[1]
process = subprocess.Popen(sys.argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
pending = ""
while True:
    ready, _, _ = select.select([process.stdout], [], [], 10)
    if not ready:
        sys.exit("weekly_checkin.py: no prompt for 10 s; last output:\n" + pending[-400:])
    chunk = os.read(process.stdout.fileno(), 65536)
    if not chunk:
        break
    pending += chunk.decode(errors="replace")
    if not pending.endswith("> "):
        continue
    prompt = pending[:-2]
    options = re.findall(r"^  (\d+)\) (.*)$", prompt, re.M)
    lower = prompt.lower()
    if "much better" in lower:
        answer = "2"
    elif options:
        none = [number for number, text in options if text.lower().startswith("none")]
        answer = none[0] if none else "1"
    elif "y) yes" in lower:
        answer = "n"
    elif "0 = no pain" in lower or "worst pain" in lower:
        answer = pain
    else:
        answer = ""
    process.stdin.write((answer + "\n").encode())
    process.stdin.flush()
    pending = ""
sys.stdout.write(pending)
sys.exit(process.wait())
