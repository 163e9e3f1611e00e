"""check: every problem one per line, a summary, exit status; campaign candidates as warnings."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.check import campaign_warnings, check_data
from generator.cli import main
from generator.load import load_corpus

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data_minimal"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "data")
    return Path("data")


def run(data: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = check_data(data, out=out)
    return status, out.getvalue().splitlines()


def test_valid_data_passes_with_a_summary(data):
    status, lines = run(data)
    assert status == 0
    assert lines[-1] == "data/ is valid: 2 plans, 4 measures, 6 agencies, 2 campaigns; 1 warning(s)"


def test_an_unregistered_campaign_is_a_warning_not_an_error(data):
    status, lines = run(data)
    assert status == 0
    assert lines[0] == (
        "warning: data/plans/guobanfa-2016-18.yaml:58: guobanfa-2016-18/06: '护航' looks like a campaign but is not "
        "registered (add it to data/campaigns.yaml, or to data/non_campaigns.yaml if it is not a campaign)"
    )


def test_a_known_non_campaign_is_not_reported_again(data):
    with open(data / "non_campaigns.yaml", "a", encoding="utf-8") as handle:
        handle.write("- 护航\n")
    status, lines = run(data)
    assert status == 0
    assert lines == ["data/ is valid: 2 plans, 4 measures, 6 agencies, 2 campaigns"]


def test_registered_campaigns_and_slogans_are_no_candidates():
    # 质检利剑 and 清源 are registered, 舌尖上的安全 is a known non-campaign.
    warnings = campaign_warnings(load_corpus(FIXTURE))
    assert len(warnings) == 1 and "'护航'" in warnings[0]


def test_every_problem_is_printed_then_counted(data):
    plan = data / "plans" / "guobanfa-2016-18.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("{id: qingyuan,", "{id: qingyuanx,").replace("{id: fazhangaigewei,", "{id: fgw,"), encoding="utf-8")
    status, lines = run(data)
    assert status == 1
    assert lines == [
        "data/plans/guobanfa-2016-18.yaml:46: nodes[0].children[0].agencies[0].id: unknown agency 'fgw' "
        "(add it to data/agencies.yaml or correct the id)",
        "data/plans/guobanfa-2016-18.yaml:82: nodes[1].children[1].campaigns[0].id: unknown campaign 'qingyuanx' "
        "(did you mean 'qingyuan'? otherwise add it to data/campaigns.yaml)",
        "2 problem(s) in data/; fix them and run check again",
    ]


def test_the_cli_command_returns_the_status(data, capsys):
    assert main(["--data", "data", "check"]) == 0
    (data / "agencies.yaml").write_text("[]\n", encoding="utf-8")
    assert main(["--data", "data", "check"]) == 1
    printed = capsys.readouterr()
    assert "unknown agency 'zhijianzongju'" in printed.out
    assert "Traceback" not in printed.out + printed.err


def test_a_date_no_calendar_has_is_a_problem(data):
    plan = data / "plans" / "guobanfa-2016-18.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("iso: '2016-04-19'", "iso: '2016-02-30'"), encoding="utf-8")
    status, lines = run(data)
    assert status == 1
    assert ("data/plans/guobanfa-2016-18.yaml:12: date_published.iso: '2016-02-30' is no date of the calendar "
            "(check the printed date and write the day it names)") in lines
