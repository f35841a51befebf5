#!/usr/bin/env python3
"""The layer rule (issue 11): every folder of src/ is one library, and a folder includes only from
itself and from folders of a LOWER layer. Reads every `#include "..."` (and
`#include <hipcoach/...>`) line under src/ and include/hipcoach/, maps the including and the
included file to their folder, and fails with file:line for each include from another folder of
the same layer or from a higher one. It checks the libraries each src/<folder>/CMakeLists.txt
links by the same rule.

The table below is the rule; docs/architecture.md ("Layers") shows the same table, and this test
checks that the two agree. Usage: layers_test.py [SOURCE_DIR] (default: this file's repository).
"""
import pathlib
import re
import sys

# folder under src/ -> (layer, library). Lower layers never include higher ones; folders of one
# layer do not include each other. The model is an island: it includes nothing of hipcoach but
# its own headers (layer 0, like the core, which must not include it either).
LAYERS = {
    "core": (0, "hipcoach_core"),
    "model": (0, "hipcoach_model, hipcoach_model_io, hipcoach_model_cli"),
    "app": (1, "hipcoach_app"),
    "store": (2, "hipcoach_store, hipcoach_pg"),
    "tracking": (3, "hipcoach_tracking"),
    "accounts": (4, "hipcoach_accounts"),
    "fhir": (4, "hipcoach_fhir"),
    "server": (5, "hipcoach_server"),
    "cli": (6, "hipcoach (the executable)"),
}

# The public headers in include/hipcoach/ and the folder (library) that owns each. A new header
# must be added here. include/hipcoach/model/ belongs to the model.
HEADERS = {
    "status.hpp": "core",
    "expr.hpp": "core",
    "json_reader.hpp": "core",
    "knowledge.hpp": "core",
    "kb_check.hpp": "core",
    "answers.hpp": "core",
    "interview.hpp": "core",
    "inference.hpp": "core",
    "triage.hpp": "core",
    "programme.hpp": "core",
    "assessment.hpp": "core",
    "serialize.hpp": "core",
    "app.hpp": "app",
    "embedded.hpp": "app",
    "store.hpp": "store",
    "progression.hpp": "tracking",
    "tracking.hpp": "tracking",
    "tracking_export.hpp": "tracking",
    "tracking_report.hpp": "tracking",
    "programme_check.hpp": "tracking",
    "fhir.hpp": "fhir",
    "http.hpp": "server",
    "server.hpp": "server",
}

# Known breaks of the rule, each (including file, included text) with the reason it stays for now.
# Empty: the tree follows the rule.
EXCEPTIONS = {}

LINK = re.compile(r"target_link_libraries\s*\(([^)]*)\)")
LIBRARY = re.compile(r"\bhipcoach_[a-z_]+\b")
INCLUDE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<(hipcoach/[^>]+)>)')
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".inc"}


def folder_of(root, path):
    """The folder (a key of LAYERS) that owns path, or None with a reason."""
    rel = path.relative_to(root).as_posix()
    parts = rel.split("/")
    if parts[0] == "src" and len(parts) > 2:
        return parts[1], None
    if parts[0] == "include" and len(parts) > 2 and parts[1] == "hipcoach":
        if parts[2] == "model":
            return "model", None
        if parts[2] in HEADERS:
            return HEADERS[parts[2]], None
        return None, (f"{rel} is not in HEADERS of tests/architecture/layers_test.py: "
                      "give it an owner")
    return None, f"{rel} is neither under src/<folder>/ nor include/hipcoach/"


def resolve(root, including, text, angled):
    """The file an include names, as the build finds it, or None for a header from outside."""
    candidates = [] if angled else [including.parent / text]
    candidates += [root / "include" / text, root / "src" / text]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    return None


def link_problems(root):
    """The same rule over the CMake targets: src/<folder>/CMakeLists.txt links only libraries of its
    own folder and of lower layers (the libraries are the second column of LAYERS)."""
    owner = {}
    for folder, (_, libraries) in LAYERS.items():
        for library in LIBRARY.findall(libraries):
            owner[library] = folder
    problems = []
    for cmake in sorted((root / "src").glob("*/CMakeLists.txt")):
        folder = cmake.parent.name
        if folder not in LAYERS:
            continue
        text = cmake.read_text(encoding="utf-8")
        for m in LINK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            _target, *linked = m.group(1).split()
            for library in LIBRARY.findall(" ".join(linked)):
                other = owner.get(library)
                if other is None or other == folder:
                    continue
                if LAYERS[other][0] < LAYERS[folder][0]:
                    continue
                rel = cmake.relative_to(root).as_posix()
                problems.append(f"{rel}:{line}: {folder} (layer {LAYERS[folder][0]}) links "
                                f"{library} of {other} (layer {LAYERS[other][0]}), not below it")
    return problems


def docs_table(root):
    """{folder: layer} from the rows `| layer | `src/folder/` | ...` of docs/architecture.md."""
    doc = root / "docs" / "architecture.md"
    rows = {}
    if doc.is_file():
        for line in doc.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^\|\s*(\d+)\s*\|\s*`src/([a-z_]+)/`", line)
            if m:
                rows[m.group(2)] = int(m.group(1))
    return rows


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
    root = root.resolve()
    problems = []

    for d in sorted(p.name for p in (root / "src").iterdir() if p.is_dir()):
        if d not in LAYERS:
            problems.append(f"src/{d}/: a folder with no layer: add it to LAYERS in "
                            "tests/architecture/layers_test.py and to docs/architecture.md")
    documented = docs_table(root)
    expected = {folder: layer for folder, (layer, _) in LAYERS.items()}
    if documented != expected:
        problems.append("docs/architecture.md: the layer table (rows `| layer | `src/folder/` |`) "
                        f"says {documented}, the test's LAYERS say {expected}")

    problems += link_problems(root)

    candidates = sorted((root / "src").rglob("*"))
    candidates += sorted((root / "include" / "hipcoach").rglob("*"))
    files = [p for p in candidates if p.is_file() and p.suffix in SOURCE_SUFFIXES]
    used_exceptions = set()
    count = 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        src_folder, why = folder_of(root, path)
        if src_folder is None:
            problems.append(why)
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            text = m.group(1) or m.group(2)
            target = resolve(root, path, text, angled=m.group(2) is not None)
            if target is None:
                continue  # a library's header (tl/expected.hpp), not hipcoach's
            count += 1
            dst_folder, why = folder_of(root, target)
            if dst_folder is None:
                problems.append(f"{rel}:{number}: {why}")
                continue
            if dst_folder == src_folder:
                continue
            src_layer, dst_layer = LAYERS[src_folder][0], LAYERS[dst_folder][0]
            if dst_layer < src_layer:
                continue
            if (rel, text) in EXCEPTIONS:
                used_exceptions.add((rel, text))
                continue
            where = ("a higher layer" if dst_layer > src_layer
                     else "another folder of the same layer")
            problems.append(f'{rel}:{number}: {rel} ({src_folder}, layer {src_layer}) includes '
                            f'"{text}" from {where}: {dst_folder} (layer {dst_layer})')

    for key in sorted(set(EXCEPTIONS) - used_exceptions):
        problems.append(f"EXCEPTIONS lists {key}, which no longer occurs: remove it")

    if problems:
        print("\n".join(problems))
        print(f"architecture_layers: {len(problems)} problems "
              "(the rule and its table: tests/architecture/layers_test.py, docs/architecture.md)")
        return 1
    print(f"architecture_layers: {count} includes in {len(files)} files and the CMake links "
          "follow the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
