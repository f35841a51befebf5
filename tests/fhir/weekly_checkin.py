"""Runs `hipcoach checkin --weekly ...` (or `--resume`) as a person would answer it.

Each prompt is answered as it appears: "None of these" in a list of danger signs (else the first
choice), "n" to yes/no questions, PAIN to the 0-10 pain questions, "2" (better) to the weekly
change, and Enter to everything that may be skipped. Reading the prompts keeps this independent of
the knowledge base's question order. Options change what the person says:
  --pick TEXT    in a list that has an option containing TEXT, choose that option (a danger sign)
  --unsure TEXT  answer "not sure" (u) to every danger-sign question whose prompt contains TEXT
                 ("" for all of them)
  --seen         answer "yes" when asked whether a doctor or physiotherapist has seen them
  --quit-at TEXT at the first prompt containing TEXT, kill the program (as closing the terminal
                 would) instead of answering
Prints the whole conversation and exits with the command's exit code.
Usage: weekly_checkin.py [--pick TEXT] [--unsure TEXT] [--seen] PAIN HIPCOACH checkin --weekly --db DB
"""
import os
import re
import select
import subprocess
import sys

args = sys.argv[1:]
pick, unsure, seen, quit_at = None, None, False, None
while args and args[0].startswith("--"):
    option = args.pop(0)
    if option == "--pick":
        pick = args.pop(0).lower()
    elif option == "--unsure":
        unsure = args.pop(0).lower()
    elif option == "--seen":
        seen = True
    elif option == "--quit-at":
        quit_at = args.pop(0).lower()
    else:
        sys.exit(f"weekly_checkin.py: unknown option {option}")
pain = args[0]
process = subprocess.Popen(args[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
pending = ""
transcript = ""
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
    danger_sign = "u) not sure" in lower
    if quit_at is not None and quit_at in lower:
        process.kill()
        transcript += prompt + "> (killed)\n"
        pending = ""
        break
    if "much better" in lower:
        answer = "2"
    elif danger_sign and unsure is not None and unsure in lower:
        answer = "u"
    elif options:
        chosen = [number for number, text in options if pick and pick in text.lower()]
        none = [number for number, text in options if text.lower().startswith("none")]
        answer = (chosen or none or ["1"])[0]
    elif "y) yes" in lower:
        answer = "n"
    elif seen and "doctor or physiotherapist seen you" in lower:
        answer = "y"
    elif "0 = no pain" in lower or "worst pain" in lower:
        answer = pain
    else:
        answer = ""
    transcript += prompt + "> " + answer + "\n"
    process.stdin.write((answer + "\n").encode())
    process.stdin.flush()
    pending = ""
sys.stdout.write(transcript + pending)
sys.exit(process.wait())
