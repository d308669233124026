"""The README's two commands are the ones CI runs and the project supports."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_the_two_commands():
    start, test = BLOCKS[0], BLOCKS[1]
    assert "streamlit run dashboard/app.py" in start and "pip install -e ." in start
    assert "python -m pytest" in test and "'.[test]'" in test


def test_ci_runs_the_readme_test_command_line_for_line():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for line in BLOCKS[1].strip().splitlines():
        assert line in ci
