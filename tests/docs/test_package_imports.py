"""The packages import each other only as docs/architecture.md's table says ("reads")."""

from __future__ import annotations

import ast
import re

from lib.settings import PROJECT_DIR

ARCHITECTURE = PROJECT_DIR / "docs" / "architecture.md"


def _documented_reads() -> dict[str, set[str]]:
    """{package: packages it may import} from the table's `package` and `reads` columns."""
    text = ARCHITECTURE.read_text()
    table = text[text.index("## Python packages") :].split("\n\n")[1]
    packages = re.findall(r"^\| `(\w+)/` \|", table, flags=re.M)
    reads: dict[str, set[str]] = {}
    for line in table.splitlines():
        match = re.match(r"^\| `(\w+)/` \|.*\| (.*?) \| (.*?) \|$", line)
        if not match:
            continue
        package, read, _ = match.groups()
        if "every package below" in read:
            below = packages[packages.index(package) + 1 :]
            reads[package] = set(below)
        else:
            named = {name.split(".")[0] for name in re.findall(r"`([\w.]+)`", read)}
            reads[package] = named & set(packages)
    return reads


def _imports(package: str, packages: set[str]) -> dict[str, set[str]]:
    """{imported package: the files that import it}, for our packages other than itself."""
    found: dict[str, set[str]] = {}
    for path in sorted((PROJECT_DIR / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in packages and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(PROJECT_DIR)))
    return found


def test_the_table_lists_every_package():
    reads = _documented_reads()
    on_disk = {
        p.name
        for p in PROJECT_DIR.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests"
    }
    assert on_disk <= set(reads), (
        f"packages missing from docs/architecture.md: {on_disk - set(reads)}"
    )


def test_imports_follow_the_documented_direction():
    reads = _documented_reads()
    wrong = {
        f"{package} imports {other} ({', '.join(sorted(files))})"
        for package in reads
        for other, files in _imports(package, set(reads)).items()
        if other not in reads[package]
    }
    assert not wrong, "imports docs/architecture.md does not allow:\n" + "\n".join(sorted(wrong))
