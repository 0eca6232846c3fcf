"""test_docs.py - keeps the manual pages honest, as tig tests the examples in its manual.

- every command and option of `opsdeck --help` is described in opsdeck.1 (COMMANDS, OPTIONS)
  and nothing there is missing from --help;
- every environment variable the sources read (AWS_*/OPSDECK_* string literals, getenv("X"))
  is described in opsdeck.1's ENVIRONMENT;
- every key `opsdeck config keys` lists is described in its section of opsdeck.conf.5, and
  every key described there is accepted;
- the EXAMPLE of opsdeck.conf.5 passes `opsdeck config check`, and `config check` reports a
  bad line as file:line, finds the file under XDG_CONFIG_HOME, and exits 1 on problems.
The pages are read as roff source, so the test needs no man or groff.
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

from tap import Tap

SRC = pathlib.Path(os.environ["TOP_SRCDIR"])
OPSDECK = os.environ["OPSDECK"]
t = Tap()


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([OPSDECK, *args], capture_output=True, text=True, env=e, timeout=60)


def plain(roff_line):
    """The text of one roff line: macros, font escapes and quotes removed."""
    s = roff_line
    if s.startswith("."):
        s = re.sub(r"^\.[A-Za-z]+\s*", "", s)
    s = s.replace("\\-", "-").replace("\\(em", "—").replace("\\(dq", '"').replace("\\ ", " ")
    s = re.sub(r"\\f[BIRP]", "", s)
    s = s.replace('"', " ")
    return re.sub(r"\s+", " ", s).strip()


def sections(page):
    """{'.SH name': [lines]} of a page."""
    out, cur = {}, None
    for line in page.read_text().splitlines():
        m = re.match(r'^\.SH\s+"?([^"]+)"?\s*$', line)
        if m:
            cur = m.group(1).strip()
            out[cur] = []
        elif cur:
            out[cur].append(line)
    return out


def tags(lines):
    """The plain text of every .TP tag line, in order, with the .SS heading it is under."""
    out, sub, i = [], None, 0
    while i < len(lines):
        if lines[i].startswith(".SS"):
            sub = plain(lines[i])
        if lines[i].startswith(".TP") and i + 1 < len(lines):
            out.append((sub, plain(lines[i + 1])))
            i += 1
        i += 1
    return out


man1 = SRC / "doc" / "opsdeck.1"
man5 = SRC / "doc" / "opsdeck.conf.5"
s1, s5 = sections(man1), sections(man5)
for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "ENVIRONMENT", "FILES",
             "EXIT STATUS", "SEE ALSO"):
    t.ok(name in s1, f"opsdeck.1 has a {name} section", detail=sorted(s1))
for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "SECTIONS", "EXAMPLE", "SEE ALSO"):
    t.ok(name in s5, f"opsdeck.conf.5 has a {name} section", detail=sorted(s5))

# ---- commands and options of --help ---------------------------------------------------
help_ = run("--help")
t.eq(help_.returncode, 0, "opsdeck --help exits 0")
help_cmds, help_opts, part = set(), set(), None
for line in help_.stdout.splitlines():
    if line.rstrip().endswith(":") and not line.startswith(" "):
        part = line.strip().rstrip(":")
        continue
    if part == "commands" and line.strip():
        help_cmds.add(line.split()[0])
    if part == "options" and line.strip():
        help_opts.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", line.split("  ")[1]
                                    if line.startswith("  ") else line))
t.ok({"snapshot", "whoami", "creds", "login", "config"} <= help_cmds,
     "--help lists the commands this test knows", detail=sorted(help_cmds))
t.ok({"--profile", "--region", "--endpoint-url", "--help", "-h"} <= help_opts,
     "--help lists the options this test knows", detail=sorted(help_opts))

doc_cmds = {tag.split()[0] for _, tag in tags(s1.get("COMMANDS", [])) if tag}
for c in sorted(help_cmds):
    t.ok(c in doc_cmds, f"opsdeck.1 COMMANDS describes '{c}'", detail=sorted(doc_cmds))
for c in sorted(doc_cmds - help_cmds):
    t.ok(False, f"opsdeck.1 COMMANDS describes '{c}', which --help does not list")

doc_opts = set()
for _, tag in tags(s1.get("OPTIONS", [])):
    doc_opts.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", tag))
for o in sorted(help_opts):
    t.ok(o in doc_opts, f"opsdeck.1 OPTIONS describes {o}", detail=sorted(doc_opts))
for o in sorted(doc_opts - help_opts):
    t.ok(False, f"opsdeck.1 OPTIONS describes {o}, which --help does not list")

# ---- environment variables read by the sources ----------------------------------------
env_text = " ".join(plain(x) for x in s1.get("ENVIRONMENT", []))
env_words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", env_text))
read_vars = set()
for f in sorted((SRC / "src").rglob("*.c")):
    text = f.read_text(errors="replace")
    read_vars.update(re.findall(r'"((?:AWS|OPSDECK)_[A-Z0-9_]*[A-Z0-9])"', text))
    read_vars.update(re.findall(r'getenv\("([A-Za-z_][A-Za-z0-9_]*)"\)', text))
t.ok(len(read_vars) > 20, "the sources read the AWS variables this test looks for",
     detail=sorted(read_vars))
for v in sorted(read_vars):
    t.ok(v in env_words, f"opsdeck.1 ENVIRONMENT describes {v}")
for v in ("NO_COLOR", "XDG_CONFIG_HOME", "OPSDECK_KEYRING"):
    t.ok(v in env_words, f"opsdeck.1 ENVIRONMENT describes {v}")

files_text = " ".join(plain(x) for x in s1.get("FILES", []))
t.ok("~/.config/opsdeck/config" in files_text, "opsdeck.1 FILES names the config file")

# ---- config keys ----------------------------------------------------------------------
keys = run("config", "keys")
t.eq(keys.returncode, 0, "opsdeck config keys exits 0")
accepted = {tuple(line.split()) for line in keys.stdout.splitlines() if line.strip()}
t.ok(len(accepted) >= 20 and all(len(k) == 2 for k in accepted),
     "config keys lists SECTION KEY pairs", detail=keys.stdout)
documented = set()
for sub, tag in tags(s5.get("SECTIONS", [])):
    m = re.match(r"\[(\w+)", sub or "")
    if m and tag:
        documented.add((m.group(1), tag.split()[0]))
for sec, key in sorted(accepted):
    t.ok((sec, key) in documented, f"opsdeck.conf.5 describes [{sec}] {key}",
         detail=sorted(documented))
for sec, key in sorted(documented - accepted):
    t.ok(False, f"opsdeck.conf.5 describes [{sec}] {key}, which the parser does not accept")
# each key's entry names its default (except the ones documented as "not set")
text5 = "\n".join(s5.get("SECTIONS", []))
entries = re.split(r"^\.TP\n", text5, flags=re.M)[1:]
for e in entries:
    first = plain(e.splitlines()[0]).split()[0]
    t.ok("Default" in e, f"opsdeck.conf.5 gives the default of {first}")

# ---- the EXAMPLE loads, and config check behaves as documented --------------------------
ex = s5.get("EXAMPLE", [])
try:
    body = ex[ex.index(".EX") + 1:ex.index(".EE")]
except ValueError:
    body = []
example = "\n".join(x.replace("\\-", "-") for x in body) + "\n"
with tempfile.TemporaryDirectory(prefix="opsdeck-docs-") as tmp:
    path = pathlib.Path(tmp, "config")
    path.write_text(example)
    r = run("config", "check", str(path))
    t.eq(r.returncode, 0, "the EXAMPLE of opsdeck.conf.5 passes config check")
    t.ok(r.stderr == "", "config check of the EXAMPLE prints no problem", detail=r.stderr)
    t.ok("[profile prod]\nenvironment = production\nread_only = true\n" in r.stdout
         and "dlq = 5s\n" in r.stdout and "dlq_depth_critical = 50\n" in r.stdout,
         "config check prints the EXAMPLE's effective settings", detail=r.stdout)

    path.write_text("[general]\ntheme = light\nmax_in_flight = lots\n[profile p]\n"
                    "aws_secret_access_key = wJalrXUtnFEMIEXAMPLESECRET\n")
    r = run("config", "check", str(path))
    t.eq(r.returncode, 1, "config check exits 1 on problems")
    lines = r.stderr.splitlines()
    t.ok(len(lines) == 3 and lines[0].startswith(f"{path}:3: max_in_flight = 'lots'")
         and lines[1].startswith(f"{path}:5: aws_secret_access_key is a secret")
         and "opsdeck creds add" in lines[1],
         "config check prints each problem as file:line with its fix", detail=r.stderr)
    t.ok("EXAMPLESECRET" not in r.stdout + r.stderr, "config check never echoes a secret")

    xdg = pathlib.Path(tmp, "xdg")
    (xdg / "opsdeck").mkdir(parents=True)
    (xdg / "opsdeck" / "config").write_text("[general]\ntheme = light\n")
    r = run("config", "check", env={"XDG_CONFIG_HOME": str(xdg), "HOME": tmp})
    t.ok(r.returncode == 0 and f"# {xdg}/opsdeck/config: no problems" in r.stdout
         and "theme = light\n" in r.stdout,
         "config check reads $XDG_CONFIG_HOME/opsdeck/config", detail=r.stdout + r.stderr)
    env = dict(os.environ, HOME=tmp)
    env.pop("XDG_CONFIG_HOME", None)
    r = subprocess.run([OPSDECK, "config", "check"], capture_output=True, text=True,
                       env=env, timeout=60)
    t.ok(r.returncode == 0 and f"# {tmp}/.config/opsdeck/config does not exist; defaults"
         in r.stdout and "theme = default\n" in r.stdout,
         "without a file config check prints the defaults and exits 0",
         detail=r.stdout + r.stderr)
    r = run("config", "frobnicate")
    t.eq(r.returncode, 2, "config with an unknown word is a usage error")

sys.exit(t.done())
