"""The README's two commands are the ones CI runs and the project supports."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_opens_with_the_two_commands():
    start, test = BLOCKS[0], BLOCKS[1]
    assert "streamlit run dashboard/app.py" in start and "pip install -e ." in start
    assert test.strip() == "bash .ci/run"


def test_the_test_command_checks_the_style_then_runs_every_test():
    steps = [line for line in CI if line.startswith(".venv/bin/")]
    assert steps[:4] == [
        ".venv/bin/pip install -e '.[test]'",
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/python -m pytest",
    ]
    assert "python3 -m venv .venv" in CI
    assert any("apt-get install -y chromium nginx" in line for line in CI)


def test_benchmarks_run_only_under_ci():
    text = "\n".join(CI)
    guard = text.index('if [ "${CI:-}" = true ]; then')
    assert text.index("benchmarks/bench.py --quick") > guard
